"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.workerCommand = void 0;
const names_1 = require("../../common/names");
const command_1 = require("../command");
exports.workerCommand = {
    name: 'worker',
    summary: 'run a worker (workflows and activities) until SIGINT/SIGTERM',
    usage: 'stp-upgrade worker',
    help: 'Reads TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*, TEMPORAL_PROFILE, STP_TASK_QUEUE, STP_DATABASE_URL and STP_DATABASE_URL_<NAME>,\nSTP_CODEC_KEYS, STP_LOG_LEVEL and STP_METRICS_ADDRESS (README: Running against Temporal Cloud or your own cluster).\nExample: STP_DATABASE_URL=postgres://stp@db:5432/stp stp-upgrade worker',
    options: {},
    async run(_args, ctx) {
        const { runWorker, WorkerStartError } = await Promise.resolve().then(() => __importStar(require('../../workers/main')));
        await runWorker(ctx.env).catch((err) => {
            throw err instanceof WorkerStartError ? new command_1.CliError(err.message, err.badInput ? names_1.ExitCodes.badInput : names_1.ExitCodes.failed) : err;
        });
        return names_1.ExitCodes.ok;
    },
};
//# sourceMappingURL=worker.js.map