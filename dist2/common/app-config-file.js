"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.CONFIG_FILE_NAME = void 0;
exports.configFileOf = configFileOf;
exports.checkAppConfigFile = checkAppConfigFile;
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const yaml_1 = __importDefault(require("yaml"));
const app_config_1 = require("./app-config");
/** The file name inside a configuration directory (/etc/semantic-text-processor/config.yaml). */
exports.CONFIG_FILE_NAME = 'config.yaml';
/** A config.yaml path, or a configuration directory holding one. Not for workflow code (fs). */
function configFileOf(fileOrDir) {
    try {
        if (node_fs_1.default.statSync(fileOrDir).isDirectory())
            return node_path_1.default.join(fileOrDir, exports.CONFIG_FILE_NAME);
    }
    catch {
        // a missing path is reported by the reader, with its name
    }
    return fileOrDir;
}
/** Reads and validates a config.yaml (or the one in a directory), every problem with its path. */
function checkAppConfigFile(fileOrDir) {
    const file = configFileOf(fileOrDir);
    let text;
    try {
        text = node_fs_1.default.readFileSync(file, 'utf8');
    }
    catch (err) {
        return { ok: false, file, errors: [`cannot read ${file}: ${err.message}`] };
    }
    const doc = yaml_1.default.parseDocument(text, { prettyErrors: true });
    if (doc.errors.length > 0)
        return { ok: false, file, errors: doc.errors.map((e) => `${file}: not valid YAML: ${e.message}`) };
    const result = (0, app_config_1.parseAppConfig)(doc.toJS());
    return result.ok ? { ok: true, file, config: result.config, warnings: result.warnings } : { ok: false, file, errors: result.errors };
}
//# sourceMappingURL=app-config-file.js.map