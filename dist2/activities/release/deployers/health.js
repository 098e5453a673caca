"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.HEALTH_PATH = void 0;
exports.specHash = specHash;
exports.waitForHealth = waitForHealth;
const node_crypto_1 = require("node:crypto");
const errors_1 = require("../errors");
const http_probe_1 = require("../http-probe");
exports.HEALTH_PATH = '/api/v1/health';
/** Hash of a spec with sorted keys, so that key order does not matter. */
function specHash(spec) {
    const canon = JSON.stringify(spec, (_k, v) => v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v);
    return (0, node_crypto_1.createHash)('sha256').update(canon).digest('hex').slice(0, 32);
}
/**
 * Polls GET /api/v1/health on the instance's port until it answers 200 "healthy" from that very
 * instance (X-STP-Instance, when the service sends it). Fails early when `alive` says it exited.
 */
async function waitForHealth(handle, alive, describe, opts = {}) {
    const started = Date.now();
    const deadline = started + (opts.timeoutMs ?? 30_000);
    let last = 'no answer yet';
    for (;;) {
        if (!(await alive()))
            throw new errors_1.DeployFailedError(`${handle.instance} exited before it became healthy; ${describe()}`);
        const seen = await (0, http_probe_1.probe)(`http://127.0.0.1:${handle.port}${exports.HEALTH_PATH}`, 1000).catch((e) => e);
        if (seen instanceof Error) {
            last = seen.message;
        }
        else {
            const body = seen.body;
            const ours = seen.instance === undefined || seen.instance === handle.identity;
            if (seen.status === 200 && body?.status === 'healthy' && ours) {
                return { status: 'healthy', version: seen.version ?? body.version, instance: seen.instance,
                    schemaVersion: body.components?.database?.schema_version, elapsedMs: Date.now() - started };
            }
            last = `HTTP ${seen.status} from instance ${seen.instance ?? '?'}: ${JSON.stringify(seen.body).slice(0, 300)}`;
        }
        if (Date.now() >= deadline) {
            throw new errors_1.HealthTimeoutError(`${handle.instance} on port ${handle.port} not healthy after ${Date.now() - started} ms (last: ${last}); ${describe()}`);
        }
        await (0, http_probe_1.sleep)(opts.intervalMs ?? 100);
    }
}
//# sourceMappingURL=health.js.map