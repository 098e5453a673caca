"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.AlertsPlan = exports.ALERT_SEVERITY = exports.ALERT_EVENTS = void 0;
exports.subscribers = subscribers;
exports.webhookLabel = webhookLabel;
exports.redact = redact;
const zod_1 = require("zod");
/**
 * `plan.alerts`: who hears about a run (the runbook's "Send alert notification here"). Pure and
 * workflow-safe. A webhook URL is part of the plan (and so of the workflow history) only when it
 * carries no secret; a Slack incoming-webhook URL is a secret, so it stays on the worker: `urlEnv`
 * names the worker variable that holds it.
 */
exports.ALERT_EVENTS = [
    'run_started',
    'blocked_by_defects',
    'awaiting_approval',
    'switched',
    'monitoring_breach',
    'rolled_back',
    'rollback_failed',
    'finalized',
];
exports.ALERT_SEVERITY = {
    run_started: 'info',
    blocked_by_defects: 'warning',
    awaiting_approval: 'info',
    switched: 'info',
    monitoring_breach: 'critical',
    rolled_back: 'warning',
    rollback_failed: 'critical',
    finalized: 'info',
};
const EnvName = zod_1.z.string().regex(/^[A-Z_][A-Z0-9_]*$/, { message: 'expected an environment variable name (A-Z, 0-9, _)' });
const Webhook = zod_1.z
    .object({
    /** How results and logs name it (never by its URL). */
    name: zod_1.z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, { message: 'expected a name ([A-Za-z0-9_.-], 1-40 characters)' }).optional(),
    /** A URL without credentials; it is stored in the workflow history. */
    url: zod_1.z.url({ protocol: /^https?$/, message: 'expected an http(s) URL' }).optional(),
    /** The worker variable holding the URL (Slack webhooks and any URL with a token). */
    urlEnv: EnvName.optional(),
    /** json: a generic JSON POST; slack: a Slack-compatible body (`text` and `blocks`). */
    format: zod_1.z.enum(['json', 'slack']).default('json'),
    /** Which events go to this webhook; default every event. */
    events: zod_1.z.array(zod_1.z.enum(exports.ALERT_EVENTS)).min(1).default([...exports.ALERT_EVENTS]),
})
    .strict()
    .superRefine((w, ctx) => {
    if ((w.url === undefined) === (w.urlEnv === undefined)) {
        ctx.addIssue({ code: 'custom', path: ['url'], message: 'set exactly one of url and urlEnv (urlEnv: the worker variable holding a URL that carries a secret)' });
    }
    if (w.url === undefined)
        return;
    const u = new URL(w.url);
    if (u.username || u.password) {
        ctx.addIssue({ code: 'custom', path: ['url'], message: 'must not carry credentials (user:password@): put the URL in a worker variable and name it in urlEnv' });
    }
    if (u.hostname === 'hooks.slack.com' || /(token|key|secret|signature|sig)=/i.test(u.search)) {
        ctx.addIssue({ code: 'custom', path: ['url'], message: 'carries a secret (a Slack webhook path or a token parameter) that would be stored in the workflow history: put it in a worker variable and name it in urlEnv' });
    }
});
exports.AlertsPlan = zod_1.z
    .object({
    webhooks: zod_1.z.array(Webhook).default([]),
    /** Attempts per webhook and event; a webhook that keeps failing never fails the run. */
    attempts: zod_1.z.number().int().min(1).max(10).default(3),
    timeoutMs: zod_1.z.number().int().min(100).max(60_000).default(5000),
})
    .strict();
/** The webhooks that want this event. */
function subscribers(alerts, event) {
    return (alerts?.webhooks ?? []).filter((w) => w.events.includes(event));
}
/** How a webhook is named in results and logs: its name, its variable or its host, never its URL. */
function webhookLabel(w, i) {
    if (w.name)
        return w.name;
    if (w.urlEnv)
        return `$${w.urlEnv}`;
    return `${new URL(w.url).host}#${i + 1}`;
}
/** Credentials in connection strings and key=value secrets become `***` (error texts end up in alerts). */
function redact(text) {
    return text
        .replace(/([a-z][a-z0-9+.-]*:\/\/)([^\s/@:]+)(?::[^\s/@]*)?@/gi, '$1***@')
        .replace(/\b(password|passwd|pwd|token|secret|api[_-]?key)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&,;)\]}]+)/gi, '$1$2***');
}
//# sourceMappingURL=alerts.js.map