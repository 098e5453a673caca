"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createActivities = createActivities;
const heartbeat_1 = require("./heartbeat");
const alerts_1 = require("./alerts");
const assess_1 = require("./assess");
const backup_1 = require("./backup");
const copy_1 = require("./copy");
const defect_list_1 = require("./defect-list");
const embeddings_1 = require("./embeddings");
const export_1 = require("./export");
const graph_1 = require("./graph");
const monitor_1 = require("./monitor");
const preflight_1 = require("./preflight");
const quarantine_1 = require("./quarantine");
const release_1 = require("./release");
const rollback_1 = require("./rollback");
const runs_1 = require("./runs");
const schema_1 = require("./schema");
const sync_1 = require("./sync");
const verify_1 = require("./verify");
/** All activities the worker registers, merged from the families. */
function createActivities(deps) {
    const release = (0, release_1.createReleaseActivities)(deps);
    // Every activity of every worker (the real one, the demo's, the tests') heartbeats while it runs,
    // so the short heartbeat timeouts of workflows/profiles.ts hold everywhere.
    return (0, heartbeat_1.keepAliveAll)({
        ...(0, assess_1.createAssessActivities)(deps),
        ...(0, preflight_1.createPreflightActivities)(deps),
        ...(0, runs_1.createRunActivities)(deps),
        ...(0, backup_1.createBackupActivities)(deps),
        ...(0, schema_1.createSchemaActivities)(deps),
        ...(0, quarantine_1.createQuarantineActivities)(deps),
        ...(0, copy_1.createCopyActivities)(deps),
        ...(0, embeddings_1.createEmbeddingsActivities)(deps),
        ...(0, graph_1.createGraphActivities)(deps),
        ...(0, verify_1.createVerifyActivities)(deps),
        ...release,
        ...(0, sync_1.createSyncActivities)({ pools: deps.pools, switchTraffic: (input) => release.switchTraffic(input) }),
        ...(0, rollback_1.createRollbackActivities)(deps),
        ...(0, monitor_1.createMonitorActivities)(),
        ...(0, export_1.createExportActivities)(deps),
        ...(0, alerts_1.createAlertActivities)(deps),
        ...(0, defect_list_1.createDefectListActivities)(deps),
    });
}
//# sourceMappingURL=index.js.map