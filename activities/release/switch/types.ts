/** Where traffic should go: an instance on a loopback port, named by its X-STP-* headers. */
export interface SwitchTarget {
  instance: string;
  port: number;
  /** When set, the proof also requires X-STP-Version to equal it. */
  version?: string;
  host?: string;
}

export interface ProofOptions {
  /** Matching answers in a row that count as proof (default 5). */
  consecutive?: number;
  /** Time allowed for one proof after a reload (default 10 s). */
  deadlineMs?: number;
  intervalMs?: number;
  /** Path requested through the load balancer (default /api/v1/health). */
  path?: string;
}

/** Evidence that the target serves: how many requests it took and what answered them. */
export interface Proof {
  requests: number;
  consecutive: number;
  elapsedMs: number;
  /** Answers per "instance/version" (or error text) seen while proving. */
  seen: Record<string, number>;
}

export interface SwitchResult {
  target: SwitchTarget;
  /** What served before (for undo); null when unknown. */
  previous: SwitchTarget | null;
  /** Reloads (or script runs) it took. */
  attempts: number;
  proof: Proof;
}

/**
 * Moves the load balancer's traffic to a target and proves it by the answers' headers. A reload
 * that reports success but leaves traffic where it was is retried, then thrown as
 * SwitchNotProvenError, so that the saga can roll back.
 */
export interface TrafficSwitch {
  readonly kind: 'nginx' | 'command';
  switchTo(target: SwitchTarget, opts?: { previous?: SwitchTarget }): Promise<SwitchResult>;
  /** Switches back to result.previous, proven the same way; null when there was no previous. */
  undo(result: SwitchResult): Promise<SwitchResult | null>;
}
