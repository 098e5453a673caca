"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.signalRun = signalRun;
const names_1 = require("../../common/names");
const command_1 = require("../command");
const connection_1 = require("../connection");
const upgrade_outcome_1 = require("../upgrade-outcome");
/** Sends one signal to a running upgrade; exit 2 when the id is unknown or the run has ended. */
async function signalRun(ctx, id, usage, signal, arg) {
    if (!id)
        throw new command_1.CliError(`expected one run id. Usage: ${usage}`);
    const { client, close } = await (0, connection_1.connectClient)(ctx.env);
    try {
        const { handle, status } = await (0, upgrade_outcome_1.existingRun)(client, id);
        if (status !== 'RUNNING') {
            throw new command_1.CliError(`the run "${id}" has already ended (${status.toLowerCase()}): see \`stp-upgrade status ${id}\``, names_1.ExitCodes.badInput);
        }
        await (arg === undefined ? handle.signal(signal) : handle.signal(signal, arg));
    }
    finally {
        await close();
    }
}
//# sourceMappingURL=signal-run.js.map