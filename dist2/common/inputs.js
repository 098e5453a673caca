"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.AssessWorkflowInput = void 0;
const zod_1 = require("zod");
const database_name_1 = require("./database-name");
/** Workflow inputs, validated by the client before start and by the workflow on entry. */
exports.AssessWorkflowInput = zod_1.z
    .object({
    database: database_name_1.DatabaseName,
    /** Blue's base URL, read by the worker for the service's memory (the runbook's Memory and CPU Planning). */
    blueUrl: zod_1.z.url({ protocol: /^https?$/, message: 'expected an http(s) URL of the running service, e.g. http://127.0.0.1:8080' }).optional(),
})
    .strict();
//# sourceMappingURL=inputs.js.map