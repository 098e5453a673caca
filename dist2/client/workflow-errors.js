"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.rootFailure = rootFailure;
exports.toCliError = toCliError;
const client_1 = require("@temporalio/client");
const common_1 = require("@temporalio/common");
const names_1 = require("../common/names");
const redact_1 = require("../common/redact");
const command_1 = require("./command");
const BAD_INPUT_TYPES = new Set(['BadInputError', 'UnknownDatabaseError', 'PreconditionError', 'DefectsFoundError']);
/** The innermost application failure of a failed workflow: its type and message. */
function rootFailure(err) {
    let cause = err;
    let found;
    while (cause) {
        if (cause instanceof common_1.ApplicationFailure)
            found = { type: cause.type ?? undefined, message: cause.message };
        if (!(cause instanceof client_1.WorkflowFailedError || cause instanceof common_1.ActivityFailure || cause instanceof common_1.ApplicationFailure))
            break;
        cause = cause.cause;
    }
    return found ?? { message: err.message ?? String(err) };
}
/** gRPC codes meaning the Temporal server could not be reached or did not answer in time. */
const UNREACHABLE_CODES = new Set([4, 14]); // DEADLINE_EXCEEDED, UNAVAILABLE
/**
 * Maps any error a command meets to a CLI error: bad input (2) when the worker refused the input,
 * 4 when the Temporal server went away (connection lost, no answer), else failure (1). One line,
 * passwords redacted; the stack only with STP_DEBUG=1 (client/cli.ts).
 */
function toCliError(err) {
    if (err instanceof command_1.CliError)
        return err;
    const grpc = err ?? {};
    const code = typeof grpc.code === 'number' ? grpc.code : typeof grpc.cause?.code === 'number' ? grpc.cause.code : undefined;
    if (code !== undefined && UNREACHABLE_CODES.has(code) && !(err instanceof client_1.WorkflowFailedError)) {
        return new command_1.CliError(`lost the Temporal server (${(0, redact_1.redact)(err.message)}): check that it runs (\`npm run dev:up\` on a dev machine) and TEMPORAL_ADDRESS, then run the command again`, names_1.ExitCodes.unreachable);
    }
    const root = rootFailure(err);
    const exit = root.type && BAD_INPUT_TYPES.has(root.type) ? names_1.ExitCodes.badInput : names_1.ExitCodes.failed;
    return new command_1.CliError((0, redact_1.redact)(root.message), exit);
}
//# sourceMappingURL=workflow-errors.js.map