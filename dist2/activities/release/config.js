"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.instanceConfig = instanceConfig;
exports.checkReleaseConfig = checkReleaseConfig;
const node_crypto_1 = __importDefault(require("node:crypto"));
const node_fs_1 = __importDefault(require("node:fs"));
const app_config_file_1 = require("../../common/app-config-file");
const errors_1 = require("../../common/errors");
/**
 * plan.release.config on the worker: which config.yaml each side runs with (green the new one,
 * blue the old one), and the check of the new one before green is deployed (the runbook's
 * `--config-check`).
 */
function instanceConfig(release, side) {
    const configured = side === 'green' ? release.config?.new : release.config?.old;
    if (!configured)
        return undefined;
    const file = (0, app_config_file_1.configFileOf)(configured);
    let sha256 = 'unreadable';
    try {
        sha256 = node_crypto_1.default.createHash('sha256').update(node_fs_1.default.readFileSync(file)).digest('hex');
    }
    catch {
        // reported by checkReleaseConfig (green) or by the service when it starts (blue)
    }
    return { file, sha256 };
}
/** Every problem of the new config.yaml, before green starts: BadInputError, not retried. */
function checkReleaseConfig(release) {
    if (!release.config)
        return undefined;
    const r = (0, app_config_file_1.checkAppConfigFile)(release.config.new);
    if (!r.ok) {
        throw new errors_1.BadInputError(`plan.release.config.new: ${r.file} is not a valid config.yaml, green was not deployed:\n  ${r.errors.join('\n  ')}\n` +
            `Fix it (\`stp-upgrade config check ${r.file}\`) and resume or start again.`);
    }
    return { file: r.file, warnings: r.warnings };
}
//# sourceMappingURL=config.js.map