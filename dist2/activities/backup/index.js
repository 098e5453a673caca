"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.BASELINE_FILE = void 0;
exports.createBackupActivities = createBackupActivities;
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const errors_1 = require("../../common/errors");
const assess_1 = require("../assess");
const db_1 = require("../db");
const artifacts_1 = require("./artifacts");
const baseline_1 = require("./baseline");
const manifest_1 = require("./manifest");
const run_1 = require("./run");
const space_1 = require("./space");
var baseline_2 = require("./baseline");
Object.defineProperty(exports, "BASELINE_FILE", { enumerable: true, get: function () { return baseline_2.BASELINE_FILE; } });
/**
 * The backup step: pg_dump (custom format) of the tables the run touches, a manifest with sha256
 * sums, and optionally a restore into a scratch database to prove the dump restores. All or
 * nothing: a dump that did not finish never keeps its final name and is removed (or marked
 * INCOMPLETE), and a backup that does not fit fails with InsufficientSpaceError, not retried.
 */
function createBackupActivities({ pools, resolveUrl }) {
    return {
        async backup({ runId, plan }) {
            const dir = (0, manifest_1.runDirectory)(plan.backup.dir, runId);
            // a hung mount must not hold the activity in the manifest check below
            await (0, space_1.bounded)(plan.backup.dir, 'stat', () => node_fs_1.default.promises.stat(dir)).catch((err) => {
                if (err instanceof errors_1.PreconditionError)
                    throw err;
            });
            const pool = pools.get(plan.database);
            const held = await (0, db_1.withAdvisoryLock)(pool, `stp-upgrade:backup:${runId}`, async () => {
                const done = await (0, manifest_1.readVerifiedManifest)(dir, runId);
                if (done && (done.restore_tested || !plan.backup.testRestore)) {
                    return { dir, files: done.files, restoreTested: done.restore_tested, ...(done.artifacts ? { artifacts: done.artifacts } : {}) };
                }
                return (0, run_1.runBackup)({ pool, url: resolveUrl(plan.database), dir, runId, plan });
            }).catch((err) => {
                throw (0, assess_1.connectionError)(plan.database, err);
            });
            if (!held.locked)
                throw new Error(`another attempt is backing up run ${runId} right now; retrying later`);
            return held.value;
        },
        /**
         * The emergency rollback's half of emergency_rollback.sh: the configuration and binary the
         * backup holds go back where they were, where the live file differs (content or mode) or is
         * gone. Nothing to do (an empty result) when the run backed none up. The backup must be intact.
         */
        async restoreArtifacts({ runId, plan }) {
            const dir = (0, manifest_1.runDirectory)(plan.backup.dir, runId);
            const manifest = await (0, manifest_1.readVerifiedManifest)(dir, runId);
            if (!manifest) {
                if (!plan.backup.config && !plan.backup.binary)
                    return { restored: [], unchanged: [], backupDir: dir };
                throw new errors_1.PreconditionError(`the backup of run ${runId} in ${dir} is missing or damaged (manifest.json, SHA256SUMS): the configuration and binary cannot be restored from it`);
            }
            return { ...(await (0, artifacts_1.restoreArtifacts)(dir, manifest.artifacts ?? [])), backupDir: dir };
        },
        /**
         * performance_baseline.json in the run's backup directory (performance_comparison.sh reads
         * `.histograms.http_request_duration.p95` from it): blue's figures before the switch.
         * Rewritten when the baseline is measured again (after an approval gate).
         */
        async writeBaseline({ runId, plan, baseline, url }) {
            const dir = (0, manifest_1.runDirectory)(plan.backup.dir, runId);
            await (0, space_1.bounded)(plan.backup.dir, `mkdir ${dir}`, () => node_fs_1.default.promises.mkdir(dir, { recursive: true, mode: 0o700 }));
            const file = node_path_1.default.join(dir, baseline_1.BASELINE_FILE);
            await (0, space_1.bounded)(plan.backup.dir, `writing ${file}`, () => (0, manifest_1.writePrivateFile)(file, JSON.stringify((0, baseline_1.baselineFile)(baseline, url, runId), null, 2) + '\n'));
            return { file };
        },
    };
}
//# sourceMappingURL=index.js.map