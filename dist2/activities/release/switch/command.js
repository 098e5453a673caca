"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createCommandSwitch = createCommandSwitch;
const command_1 = require("../command");
const errors_1 = require("../errors");
const prove_1 = require("./prove");
/**
 * kind command: the operator's own load balancer update (the runbook's update_load_balancer_config),
 * run with STP_TARGET_PORT, STP_TARGET_HOST, STP_TARGET_INSTANCE and STP_TARGET_VERSION, then proven
 * the same way as nginx. A script that exits 0 without moving traffic is caught by the proof.
 */
function createCommandSwitch(opts) {
    const run = opts.runner ?? command_1.execRunner;
    const sw = {
        kind: 'command',
        async switchTo(target, { previous } = {}) {
            const env = {
                STP_TARGET_PORT: String(target.port),
                STP_TARGET_HOST: target.host ?? '127.0.0.1',
                STP_TARGET_INSTANCE: target.instance,
                STP_TARGET_VERSION: target.version ?? '',
            };
            const attempts = opts.attempts ?? 3;
            let last;
            for (let attempt = 1; attempt <= attempts; attempt++) {
                const r = await run(opts.command, { env, timeoutMs: opts.timeoutMs ?? 60_000 });
                if (r.code !== 0)
                    throw new errors_1.SwitchCommandError((0, command_1.describeFailure)(opts.command, r));
                try {
                    const proof = await (0, prove_1.proveServing)(opts.lbUrl, target, opts.proof);
                    return { target, previous: previous ?? null, attempts: attempt, proof };
                }
                catch (err) {
                    if (!(err instanceof errors_1.SwitchNotProvenError))
                        throw err;
                    last = err;
                }
            }
            throw new errors_1.SwitchNotProvenError(`${opts.command.join(' ')} ran ${attempts} times but traffic did not move: ${last.message}`);
        },
        undo: (result) => result.previous ? sw.switchTo(result.previous, { previous: result.target }) : Promise.resolve(null),
    };
    return sw;
}
//# sourceMappingURL=command.js.map