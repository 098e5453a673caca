"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.assessWorkflow = assessWorkflow;
const workflow_1 = require("@temporalio/workflow");
const profiles_1 = require("./profiles");
const { assess } = (0, workflow_1.proxyActivities)(profiles_1.interactiveSql);
/** Reads the database and returns the assessment report. Changes nothing. */
async function assessWorkflow(input) {
    return assess({ database: input.database, ...(input.blueUrl ? { blueUrl: input.blueUrl } : {}) });
}
//# sourceMappingURL=assess.js.map