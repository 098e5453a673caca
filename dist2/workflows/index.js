"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.verifyWorkflow = exports.upgradeWorkflow = exports.rollbackWorkflow = exports.monitorWorkflow = exports.exportWorkflow = exports.defectsWorkflow = exports.assessWorkflow = void 0;
// Every workflow the worker registers. Workflow code must stay deterministic: no Node built-ins,
// no pg, no clock or randomness but Temporal's (the linter enforces the imports).
var assess_1 = require("./assess");
Object.defineProperty(exports, "assessWorkflow", { enumerable: true, get: function () { return assess_1.assessWorkflow; } });
var defects_1 = require("./defects");
Object.defineProperty(exports, "defectsWorkflow", { enumerable: true, get: function () { return defects_1.defectsWorkflow; } });
var export_1 = require("./export");
Object.defineProperty(exports, "exportWorkflow", { enumerable: true, get: function () { return export_1.exportWorkflow; } });
var monitor_1 = require("./monitor");
Object.defineProperty(exports, "monitorWorkflow", { enumerable: true, get: function () { return monitor_1.monitorWorkflow; } });
var rollback_1 = require("./rollback");
Object.defineProperty(exports, "rollbackWorkflow", { enumerable: true, get: function () { return rollback_1.rollbackWorkflow; } });
var upgrade_1 = require("./upgrade");
Object.defineProperty(exports, "upgradeWorkflow", { enumerable: true, get: function () { return upgrade_1.upgradeWorkflow; } });
var verify_1 = require("./verify");
Object.defineProperty(exports, "verifyWorkflow", { enumerable: true, get: function () { return verify_1.verifyWorkflow; } });
//# sourceMappingURL=index.js.map