import { type AlertDelivery, type AlertEvent, type AlertsPlan, subscribers, type Webhook, webhookLabel } from '../../common/alerts';
import { heartbeat } from '../heartbeat';
import { jsonBody, slackBody } from './bodies';

export interface AlertDeps {
  /** Where `urlEnv` variables are read (the worker's environment). */
  env?: NodeJS.ProcessEnv;
  /** Pause between attempts, ms (tests shorten it). */
  retryDelayMs?: number;
}

/**
 * The alerts family: POSTs one event to every webhook of the plan that wants it, each with its
 * own retries, so one receiver that is down neither delays nor repeats the others more than its
 * attempts. Never throws: a notification must not fail, retry or roll back the run. Results name
 * webhooks by label, never by URL.
 */
export function createAlertActivities({ env = process.env, retryDelayMs = 1000 }: AlertDeps = {}) {
  async function post(w: Webhook, label: string, alerts: AlertsPlan, event: AlertEvent): Promise<string | undefined> {
    const url = w.urlEnv ? env[w.urlEnv] : w.url;
    if (!url) return `the worker variable ${w.urlEnv} is not set`;
    const body = JSON.stringify(w.format === 'slack' ? slackBody(event) : jsonBody(event));
    let error = '';
    for (let attempt = 1; attempt <= alerts.attempts; attempt++) {
      heartbeat({ webhook: label, attempt });
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'stp-upgrade' },
          body,
          signal: AbortSignal.timeout(alerts.timeoutMs),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) return undefined;
        error = `HTTP ${res.status}`;
        if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) break; // the body or URL is wrong: retrying repeats it
      } catch (err) {
        // fetch's errors name the host, never the path, so a secret in the URL stays out of them
        error = (err as Error).name === 'TimeoutError' ? `no answer within ${alerts.timeoutMs} ms` : `${(err as Error).message}${(err as { cause?: Error }).cause ? `: ${(err as { cause: Error }).cause.message}` : ''}`;
      }
      if (attempt < alerts.attempts) await new Promise((r) => setTimeout(r, retryDelayMs * attempt));
    }
    return `${error} after ${alerts.attempts} attempt(s)`;
  }

  return {
    async sendAlert({ alerts, event }: { alerts: AlertsPlan; event: AlertEvent }): Promise<AlertDelivery> {
      const all = alerts.webhooks;
      const targets = subscribers(alerts, event.event).map((w) => ({ w, label: webhookLabel(w, all.indexOf(w)) }));
      const results = await Promise.all(targets.map(async ({ w, label }) => ({ label, error: await post(w, label, alerts, event).catch((e: unknown) => String(e)) })));
      return {
        event: event.event,
        delivered: results.filter((r) => r.error === undefined).map((r) => r.label),
        failed: results.filter((r) => r.error !== undefined).map((r) => ({ webhook: r.label, error: r.error as string })),
      };
    },
  };
}

export type AlertActivities = ReturnType<typeof createAlertActivities>;
