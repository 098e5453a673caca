"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SCHEMA_VERSION_DDL = exports.readSchemaVersion = exports.SmokeTestError = exports.NON_RETRYABLE_RELEASE_STEP_ERRORS = exports.FinalizeError = void 0;
exports.createReleaseActivities = createReleaseActivities;
const deploy_1 = require("./steps/deploy");
const finalize_1 = require("./steps/finalize");
const optimize_1 = require("./steps/optimize");
const smoke_1 = require("./steps/smoke");
const switch_1 = require("./steps/switch");
var errors_1 = require("./steps/errors");
Object.defineProperty(exports, "FinalizeError", { enumerable: true, get: function () { return errors_1.FinalizeError; } });
Object.defineProperty(exports, "NON_RETRYABLE_RELEASE_STEP_ERRORS", { enumerable: true, get: function () { return errors_1.NON_RETRYABLE_RELEASE_STEP_ERRORS; } });
Object.defineProperty(exports, "SmokeTestError", { enumerable: true, get: function () { return errors_1.SmokeTestError; } });
var finalize_2 = require("./steps/finalize");
Object.defineProperty(exports, "readSchemaVersion", { enumerable: true, get: function () { return finalize_2.readSchemaVersion; } });
Object.defineProperty(exports, "SCHEMA_VERSION_DDL", { enumerable: true, get: function () { return finalize_2.SCHEMA_VERSION_DDL; } });
/**
 * The release half of the saga (blue-green): deployGreen, smokeTests, optimizeDatabase, warmCache,
 * switchTraffic, drain, stopInstance, finalize, and their compensations stopInstance, switchBack,
 * startBlue, unfinalize. Every activity takes StepInput ({ runId, plan }) plus a small option, is
 * idempotent and is a no-op as a compensation of a step that did nothing. Blue's baseline is the
 * monitor family's measureBaseline.
 */
function createReleaseActivities(deps) {
    return {
        ...(0, deploy_1.createDeploySteps)(deps),
        ...(0, smoke_1.createSmokeSteps)(deps),
        ...(0, optimize_1.createOptimizeSteps)(deps),
        ...(0, switch_1.createSwitchSteps)(deps),
        ...(0, finalize_1.createFinalizeSteps)(deps),
    };
}
//# sourceMappingURL=index.js.map