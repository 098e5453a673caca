"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.exportWorkflow = exportWorkflow;
const workflow_1 = require("@temporalio/workflow");
const export_1 = require("../common/export");
const validation_1 = require("../common/validation");
const profiles_1 = require("./profiles");
const { exportData } = (0, workflow_1.proxyActivities)(profiles_1.longBatch);
/**
 * The emergency export: every text, chunk and template as JSON lines with checksums, into a
 * directory on the worker. Read-only; a retried activity replaces its files.
 */
async function exportWorkflow(input) {
    const parsed = export_1.ExportWorkflowInput.safeParse(input);
    if (!parsed.success)
        throw workflow_1.ApplicationFailure.nonRetryable((0, validation_1.formatIssues)('input', parsed.error, input).join('\n'), 'BadInputError');
    return exportData(parsed.data);
}
//# sourceMappingURL=export.js.map