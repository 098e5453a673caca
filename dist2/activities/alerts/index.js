"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createAlertActivities = createAlertActivities;
const alerts_1 = require("../../common/alerts");
const heartbeat_1 = require("../heartbeat");
const bodies_1 = require("./bodies");
/**
 * The alerts family: POSTs one event to every webhook of the plan that wants it, each with its
 * own retries, so one receiver that is down neither delays nor repeats the others more than its
 * attempts. Never throws: a notification must not fail, retry or roll back the run. Results name
 * webhooks by label, never by URL.
 */
function createAlertActivities({ env = process.env, retryDelayMs = 1000 } = {}) {
    async function post(w, label, alerts, event) {
        const url = w.urlEnv ? env[w.urlEnv] : w.url;
        if (!url)
            return `the worker variable ${w.urlEnv} is not set`;
        const body = JSON.stringify(w.format === 'slack' ? (0, bodies_1.slackBody)(event) : (0, bodies_1.jsonBody)(event));
        let error = '';
        for (let attempt = 1; attempt <= alerts.attempts; attempt++) {
            (0, heartbeat_1.heartbeat)({ webhook: label, attempt });
            try {
                const res = await fetch(url, {
                    method: 'POST',
                    headers: { 'content-type': 'application/json', 'user-agent': 'stp-upgrade' },
                    body,
                    signal: AbortSignal.timeout(alerts.timeoutMs),
                });
                await res.arrayBuffer().catch(() => undefined);
                if (res.ok)
                    return undefined;
                error = `HTTP ${res.status}`;
                if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429)
                    break; // the body or URL is wrong: retrying repeats it
            }
            catch (err) {
                // fetch's errors name the host, never the path, so a secret in the URL stays out of them
                error = err.name === 'TimeoutError' ? `no answer within ${alerts.timeoutMs} ms` : `${err.message}${err.cause ? `: ${err.cause.message}` : ''}`;
            }
            if (attempt < alerts.attempts)
                await new Promise((r) => setTimeout(r, retryDelayMs * attempt));
        }
        return `${error} after ${alerts.attempts} attempt(s)`;
    }
    return {
        async sendAlert({ alerts, event }) {
            const all = alerts.webhooks;
            const targets = (0, alerts_1.subscribers)(alerts, event.event).map((w) => ({ w, label: (0, alerts_1.webhookLabel)(w, all.indexOf(w)) }));
            const results = await Promise.all(targets.map(async ({ w, label }) => ({ label, error: await post(w, label, alerts, event).catch((e) => String(e)) })));
            return {
                event: event.event,
                delivered: results.filter((r) => r.error === undefined).map((r) => r.label),
                failed: results.filter((r) => r.error !== undefined).map((r) => ({ webhook: r.label, error: r.error })),
            };
        },
    };
}
//# sourceMappingURL=index.js.map