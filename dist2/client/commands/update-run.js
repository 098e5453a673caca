"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.updateRun = updateRun;
const client_1 = require("@temporalio/client");
const names_1 = require("../../common/names");
const command_1 = require("../command");
const connection_1 = require("../connection");
const upgrade_outcome_1 = require("../upgrade-outcome");
/**
 * Sends one update to a running upgrade and returns its answer. The saga refuses an update that
 * does not fit its phase (approve outside the approval gate, promote outside monitoring): exit 2
 * with its reason. Exit 2 as well when the id is unknown or the run has ended.
 */
async function updateRun(ctx, id, usage, update, arg) {
    if (!id)
        throw new command_1.CliError(`expected one run id. Usage: ${usage}`);
    const { client, close } = await (0, connection_1.connectClient)(ctx.env);
    try {
        const { handle, status } = await (0, upgrade_outcome_1.existingRun)(client, id);
        if (status !== 'RUNNING') {
            throw new command_1.CliError(`the run "${id}" has already ended (${status.toLowerCase()}): see \`stp-upgrade status ${id}\``, names_1.ExitCodes.badInput);
        }
        return await handle.executeUpdate(update, { args: [arg] }).catch((err) => {
            if (err instanceof client_1.WorkflowUpdateFailedError) {
                const why = err.cause instanceof Error ? err.cause.message : err.message;
                throw new command_1.CliError(`${why}. See \`stp-upgrade status ${id}\``, names_1.ExitCodes.badInput);
            }
            throw err;
        });
    }
    finally {
        await close();
    }
}
//# sourceMappingURL=update-run.js.map