"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.commands = void 0;
const assess_1 = require("./assess");
const export_1 = require("./export");
const worker_1 = require("./worker");
const plan_check_1 = require("./plan-check");
const start_1 = require("./start");
const status_1 = require("./status");
const watch_1 = require("./watch");
const pause_1 = require("./pause");
const resume_1 = require("./resume");
const abort_1 = require("./abort");
const verify_1 = require("./verify");
const approve_1 = require("./approve");
const promote_1 = require("./promote");
const rollback_1 = require("./rollback");
const list_1 = require("./list");
const defects_1 = require("./defects");
const throttle_1 = require("./throttle");
const setup_namespace_1 = require("./setup-namespace");
const codec_server_1 = require("./codec-server");
const config_check_1 = require("./config-check");
const config_migrate_1 = require("./config-migrate");
const serve_1 = require("./serve");
/** Every CLI command, in the order `stp-upgrade --help` lists them: one per line, to add one easily. */
exports.commands = [
    assess_1.assessCommand,
    worker_1.workerCommand,
    setup_namespace_1.setupNamespaceCommand,
    plan_check_1.planCheckCommand,
    start_1.startCommand,
    list_1.listCommand,
    status_1.statusCommand,
    watch_1.watchCommand,
    pause_1.pauseCommand,
    resume_1.resumeCommand,
    throttle_1.throttleCommand,
    abort_1.abortCommand,
    approve_1.approveCommand,
    promote_1.promoteCommand,
    rollback_1.rollbackCommand,
    verify_1.verifyCommand,
    defects_1.defectsCommand,
    export_1.exportCommand,
    config_check_1.configCheckCommand,
    config_migrate_1.configMigrateCommand,
    serve_1.serveCommand,
    codec_server_1.codecServerCommand,
];
//# sourceMappingURL=index.js.map