"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.OUTCOMES = exports.SEARCH_ATTRIBUTES = exports.StpSchemaVersion = exports.StpOutcome = exports.StpRowsCopied = exports.StpStep = exports.StpPhase = exports.StpDatabase = void 0;
exports.startDevSearchAttributeFlags = startDevSearchAttributeFlags;
const common_1 = require("@temporalio/common");
/**
 * The typed search attributes of upgrade runs: what the Temporal UI's workflow list can show and
 * filter (`StpPhase = "rolling_back"`), and what `stp-upgrade list` reads. Registered on a
 * namespace by `stp-upgrade setup-namespace` (dev:up does it on the dev server). Pure.
 */
exports.StpDatabase = (0, common_1.defineSearchAttributeKey)('StpDatabase', common_1.SearchAttributeType.KEYWORD);
exports.StpPhase = (0, common_1.defineSearchAttributeKey)('StpPhase', common_1.SearchAttributeType.KEYWORD);
exports.StpStep = (0, common_1.defineSearchAttributeKey)('StpStep', common_1.SearchAttributeType.KEYWORD);
exports.StpRowsCopied = (0, common_1.defineSearchAttributeKey)('StpRowsCopied', common_1.SearchAttributeType.INT);
exports.StpOutcome = (0, common_1.defineSearchAttributeKey)('StpOutcome', common_1.SearchAttributeType.KEYWORD);
exports.StpSchemaVersion = (0, common_1.defineSearchAttributeKey)('StpSchemaVersion', common_1.SearchAttributeType.INT);
exports.SEARCH_ATTRIBUTES = [exports.StpDatabase, exports.StpPhase, exports.StpStep, exports.StpRowsCopied, exports.StpOutcome, exports.StpSchemaVersion];
/**
 * How a run ended, as the list shows it, so that a refused run, a rolled-back run and a failed
 * rollback are told apart (Temporal's own status says FAILED for all three).
 *   running     still open
 *   completed   every step done
 *   refused     stopped before changing anything (bad plan, defects under policy block, preflight)
 *   rolled_back failed, aborted or cancelled, and everything it changed was undone
 *   rollback_failed  the undo failed: what is left is in `stp-upgrade status ID`
 *   reverted    (a rollback workflow) a finished run undone by `stp-upgrade rollback`
 */
exports.OUTCOMES = ['running', 'completed', 'refused', 'rolled_back', 'rollback_failed', 'reverted'];
/** `--search-attribute` flags of `temporal server start-dev`: dev, demo and fault-suite servers register them at start. */
function startDevSearchAttributeFlags() {
    return exports.SEARCH_ATTRIBUTES.flatMap((k) => ['--search-attribute', `${k.name}=${k.type === 'INT' ? 'Int' : 'Keyword'}`]);
}
//# sourceMappingURL=search-attributes.js.map