import type { Client } from '@temporalio/client';
import type { Cleanup } from './cleanup';
import type { EmbeddedPostgres } from './pglite-server';
import type { TemporalDevServer } from './temporal-server';

export interface DemoOptions {
  chunks: number;
  dim: number;
  seed: number;
  batchSize: number;
  keep: boolean;
  /** Only the data steps (no services, no nginx). */
  dataOnly: boolean;
  /** Monitoring window of green in the release steps. */
  monitorSeconds: number;
  /** Progress poll interval. */
  intervalMs: number;
  /** The upgrade run is cancelled (and rolled back) when it takes longer. */
  timeoutMs: number;
}

/** What every phase of the demo gets: the running servers, a Temporal client and the screen. */
export interface DemoContext {
  opts: DemoOptions;
  cleanup: Cleanup;
  temporal: TemporalDevServer;
  postgres: EmbeddedPostgres;
  client: Client;
  taskQueue: string;
  logDir: string;
  /** A line stamped with the seconds since the demo started. */
  log: (line: string) => void;
  /** Raw output (progress frames, reports). */
  out: (text: string) => void;
  tty: boolean;
}

/**
 * One phase of the demo (the whole upgrade, or the data steps only with --data-only). It
 * returns lines for the final summary, or throws DemoFailure with the exit code to end with.
 */
export type DemoPhase = (ctx: DemoContext) => Promise<string[]>;

export class DemoFailure extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}

export function workflowUrl(ctx: DemoContext, workflowId: string): string {
  return ctx.temporal.uiUrl ? `${ctx.temporal.uiUrl}/namespaces/default/workflows/${encodeURIComponent(workflowId)}` : '(Web UI disabled)';
}
