import { z } from 'zod';

/**
 * `plan.alerts`: who hears about a run (the runbook's "Send alert notification here"). Pure and
 * workflow-safe. A webhook URL is part of the plan (and so of the workflow history) only when it
 * carries no secret; a Slack incoming-webhook URL is a secret, so it stays on the worker: `urlEnv`
 * names the worker variable that holds it.
 */
export const ALERT_EVENTS = [
  'run_started',
  'blocked_by_defects',
  'awaiting_approval',
  'switched',
  'monitoring_breach',
  'rolled_back',
  'rollback_failed',
  'finalized',
] as const;
export type AlertEventName = (typeof ALERT_EVENTS)[number];

export const ALERT_SEVERITY: Record<AlertEventName, 'info' | 'warning' | 'critical'> = {
  run_started: 'info',
  blocked_by_defects: 'warning',
  awaiting_approval: 'info',
  switched: 'info',
  monitoring_breach: 'critical',
  rolled_back: 'warning',
  rollback_failed: 'critical',
  finalized: 'info',
};

const EnvName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, { message: 'expected an environment variable name (A-Z, 0-9, _)' });

const Webhook = z
  .object({
    /** How results and logs name it (never by its URL). */
    name: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, { message: 'expected a name ([A-Za-z0-9_.-], 1-40 characters)' }).optional(),
    /** A URL without credentials; it is stored in the workflow history. */
    url: z.url({ protocol: /^https?$/, message: 'expected an http(s) URL' }).optional(),
    /** The worker variable holding the URL (Slack webhooks and any URL with a token). */
    urlEnv: EnvName.optional(),
    /** json: a generic JSON POST; slack: a Slack-compatible body (`text` and `blocks`). */
    format: z.enum(['json', 'slack']).default('json'),
    /** Which events go to this webhook; default every event. */
    events: z.array(z.enum(ALERT_EVENTS)).min(1).default([...ALERT_EVENTS]),
  })
  .strict()
  .superRefine((w, ctx) => {
    if ((w.url === undefined) === (w.urlEnv === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'set exactly one of url and urlEnv (urlEnv: the worker variable holding a URL that carries a secret)' });
    }
    if (w.url === undefined) return;
    const u = new URL(w.url);
    if (u.username || u.password) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'must not carry credentials (user:password@): put the URL in a worker variable and name it in urlEnv' });
    }
    if (u.hostname === 'hooks.slack.com' || /(token|key|secret|signature|sig)=/i.test(u.search)) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'carries a secret (a Slack webhook path or a token parameter) that would be stored in the workflow history: put it in a worker variable and name it in urlEnv' });
    }
  });
export type Webhook = z.output<typeof Webhook>;

export const AlertsPlan = z
  .object({
    webhooks: z.array(Webhook).default([]),
    /** Attempts per webhook and event; a webhook that keeps failing never fails the run. */
    attempts: z.number().int().min(1).max(10).default(3),
    timeoutMs: z.number().int().min(100).max(60_000).default(5000),
  })
  .strict();
export type AlertsPlan = z.output<typeof AlertsPlan>;

/** One notification: what happened to which run. Never carries a URL with credentials or a password. */
export interface AlertEvent {
  event: AlertEventName;
  runId: string;
  database: string;
  message: string;
  /** Workflow time, ISO. */
  at: string;
  phase?: string;
  step?: string;
}

export interface AlertDelivery {
  event: AlertEventName;
  delivered: string[];
  failed: { webhook: string; error: string }[];
}

/** The webhooks that want this event. */
export function subscribers(alerts: AlertsPlan | undefined, event: AlertEventName): Webhook[] {
  return (alerts?.webhooks ?? []).filter((w) => w.events.includes(event));
}

/** How a webhook is named in results and logs: its name, its variable or its host, never its URL. */
export function webhookLabel(w: Webhook, i: number): string {
  if (w.name) return w.name;
  if (w.urlEnv) return `$${w.urlEnv}`;
  return `${new URL(w.url as string).host}#${i + 1}`;
}

/** Credentials in connection strings and key=value secrets become `***` (error texts end up in alerts). */
export function redact(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/)([^\s/@:]+)(?::[^\s/@]*)?@/gi, '$1***@')
    .replace(/\b(password|passwd|pwd|token|secret|api[_-]?key)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&,;)\]}]+)/gi, '$1$2***');
}
