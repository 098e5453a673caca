"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.proveServing = proveServing;
const errors_1 = require("../errors");
const http_probe_1 = require("../http-probe");
/**
 * Requests through the load balancer until `consecutive` answers in a row come from the target
 * (X-STP-Instance, and X-STP-Version when the target names one). Every probe opens a new
 * connection, so an old nginx worker that still holds a keep-alive connection cannot fake it.
 */
async function proveServing(lbUrl, target, opts = {}) {
    const want = opts.consecutive ?? 5;
    const started = Date.now();
    const deadline = started + (opts.deadlineMs ?? 10_000);
    const url = `${lbUrl.replace(/\/$/, '')}${opts.path ?? '/api/v1/health'}`;
    const seen = {};
    let run = 0;
    let requests = 0;
    while (Date.now() < deadline) {
        requests++;
        const r = await (0, http_probe_1.probe)(url, 2000).catch((e) => e);
        const key = r instanceof Error ? `error: ${r.message}` : `${r.instance ?? '?'}/${r.version ?? '?'}`;
        seen[key] = (seen[key] ?? 0) + 1;
        const match = !(r instanceof Error) && r.instance === target.instance && (target.version === undefined || r.version === target.version);
        run = match ? run + 1 : 0;
        if (run >= want)
            return { requests, consecutive: run, elapsedMs: Date.now() - started, seen };
        await (0, http_probe_1.sleep)(opts.intervalMs ?? 20);
    }
    throw new errors_1.SwitchNotProvenError(`${url} did not answer from ${target.instance}${target.version ? ` v${target.version}` : ''} ` +
        `${want} times in a row within ${opts.deadlineMs ?? 10_000} ms; answers seen: ${JSON.stringify(seen)}`);
}
//# sourceMappingURL=prove.js.map