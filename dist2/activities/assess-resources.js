"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.serviceResources = serviceResources;
exports.withResources = withResources;
const resources_1 = require("../common/resources");
/** Reads memory_usage_bytes (the runbook's `.gauges.memory_usage_bytes`) from the service's metrics. */
async function serviceResources(baseUrl, timeoutMs = 5000) {
    const url = baseUrl.replace(/\/+$/, '');
    const target = /\/api\/v\d+$/.test(url) ? `${url}/metrics` : `${url}/api/v1/metrics`;
    try {
        const res = await fetch(target, { signal: AbortSignal.timeout(timeoutMs) });
        if (!res.ok)
            return { url, memoryBytes: null, recommendedMemoryBytes: null, error: `GET ${target}: HTTP ${res.status}` };
        const body = (await res.json());
        const mem = body.gauges?.memory_usage_bytes;
        if (typeof mem !== 'number' || !Number.isFinite(mem)) {
            return { url, memoryBytes: null, recommendedMemoryBytes: null, error: `GET ${target}: no gauges.memory_usage_bytes` };
        }
        return { url, memoryBytes: mem, recommendedMemoryBytes: mem * resources_1.MIGRATION_MEMORY_FACTOR };
    }
    catch (err) {
        const e = err;
        return { url, memoryBytes: null, recommendedMemoryBytes: null, error: `GET ${target}: ${e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : e.cause?.message ?? e.message}` };
    }
}
/** The assessment with the service's resources; a service that does not answer is a warning, not a failure. */
function withResources(a, r) {
    const warnings = r.error ? [...a.warnings, `service memory unknown: ${r.error}`] : a.warnings;
    return { ...a, resources: r, warnings };
}
//# sourceMappingURL=assess-resources.js.map