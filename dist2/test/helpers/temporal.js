"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.TEMPORAL_ADDRESS = void 0;
exports.testServerPath = testServerPath;
exports.temporalCliPath = temporalCliPath;
const node_os_1 = __importDefault(require("node:os"));
const node_path_1 = __importDefault(require("node:path"));
const node_fs_1 = __importDefault(require("node:fs"));
const CACHE = process.env.STP_CACHE ?? node_path_1.default.join(node_os_1.default.homedir(), '.cache', 'stp-upgrade');
/** The time-skipping test server binary installed by scripts/install.sh (never downloaded at run time). */
function testServerPath() {
    const p = process.env.TEMPORAL_TEST_SERVER_PATH ?? node_path_1.default.join(CACHE, 'bin', 'temporal-test-server');
    if (!node_fs_1.default.existsSync(p))
        throw new Error(`no Temporal test server at ${p}: run npm run install:servers`);
    return p;
}
function temporalCliPath() {
    const p = process.env.TEMPORAL_CLI_PATH ?? node_path_1.default.join(CACHE, 'bin', 'temporal');
    if (!node_fs_1.default.existsSync(p))
        throw new Error(`no Temporal CLI at ${p}: run npm run install:servers`);
    return p;
}
exports.TEMPORAL_ADDRESS = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
//# sourceMappingURL=temporal.js.map