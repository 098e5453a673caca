import type { Progress, VerifyReport } from '../common/steps';
import type { Outcome } from './upgrade-outcome';

/** Text views of an upgrade run for status, watch, start --wait and verify. */

export function bar(done: number, total: number, width = 24): string {
  const ratio = total > 0 ? Math.min(1, done / total) : done > 0 ? 1 : 0;
  const full = Math.round(ratio * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}] ${(ratio * 100).toFixed(1).padStart(5)}%`;
}

export function duration(seconds: number | null): string {
  if (seconds === null) return 'unknown';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

/** How a view is drawn: the terminal's width (bars shrink to fit) and the time for live bars. */
export interface ViewOptions {
  columns?: number;
  /** Epoch ms: the rule in flight is moved on at rowsPerSec since the last count (watch, each second). */
  now?: number;
}

/** The rule being copied, its count moved on at the measured rate since the last slice ended (estimate, capped). */
function liveDone(p: Progress, rule: string, done: number, total: number, now?: number): number {
  if (now === undefined || !p.updatedAt || p.rowsPerSec <= 0 || done >= total || p.phase !== 'running') return done;
  const running = Object.entries(p.rules).find(([, r]) => r && r.done < r.total)?.[0];
  if (running !== rule) return done;
  return Math.min(total, done + Math.floor((p.rowsPerSec * Math.max(0, now - p.updatedAt)) / 1000));
}

export function formatProgress(p: Progress, o: ViewOptions = {}): string[] {
  const lines = [`Run ${p.runId}: ${p.phase}${p.step ? `, step ${p.step}` : ''}${p.paused && p.phase !== 'paused' ? ' (pause requested)' : ''}`];
  lines.push(`Steps: ${Object.entries(p.steps).map(([s, st]) => `${s} ${st}`).join(' · ')}`);
  for (const w of p.warnings ?? []) lines.push(`WARNING: ${w}`);
  if (p.backup) lines.push(`Backup: ${p.backup.dir} (${p.backup.files} files${p.backup.restoreTested ? ', restore tested' : ''})`);
  const rules = Object.entries(p.rules);
  const width = Math.max(10, ...rules.map(([r]) => r.length));
  const counts = rules.map(([rule, r]) => {
    const total = r?.total ?? 0;
    const done = liveDone(p, rule, r?.done ?? 0, total, o.now);
    return { rule, done, total, text: `${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}` };
  });
  const countWidth = Math.max(0, ...counts.map((c) => c.text.length));
  // "  rule [bar] 100.0%  count": the bar takes what the terminal leaves, 10 to 40 cells.
  const barWidth = o.columns ? Math.max(10, Math.min(40, o.columns - 1 - (2 + width + 1 + 2 + 8 + 2 + countWidth))) : 24;
  for (const c of counts) lines.push(`  ${c.rule.padEnd(width)} ${bar(c.done, c.total, barWidth)}  ${c.text}`);
  if (rules.length > 0) {
    const paused = p.copyPause;
    const throttled = paused ? `${paused.reason} (paused ${duration(Math.round(paused.pausedMs / 1000))} in all)` : undefined;
    lines.push(`Batch size ${p.batchSize} · ${p.rowsPerSec.toLocaleString('en-US')} rows/s · ETA ${duration(p.etaSeconds)} (whole copy)` +
      `${throttled ? ` · last load pause: ${throttled}` : ''}${p.redoneBatches ? ` · ${p.redoneBatches} batches redone after a crash` : ''}`);
  }
  if (p.defectsPending && !p.defects) lines.push('Defects: detected and quarantined in the copy step (defects.policy quarantine)');
  if (p.defects) {
    const counts = Object.entries(p.defects.counts).map(([k, n]) => `${k} ${n}`).join(', ');
    lines.push(`Defects: ${counts}`);
    for (const d of p.defects.sample.slice(0, 5)) lines.push(`  ${d.kind} ${d.table} ${d.id}: ${d.reason}`);
  }
  lines.push(...syncLines(p));
  lines.push(...releaseLines(p));
  if (p.compensations.length > 0) {
    lines.push('Rollback:');
    for (const c of p.compensations) lines.push(`  ${c.step} ${c.status}${c.error ? `: ${c.error}` : ''}`);
  }
  if (p.error) lines.push(`Error: ${p.error}`);
  return lines;
}

/** Live writes: the replay backlog of each direction, its age and rate, the cut-over holds. */
export function syncLines(p: Progress): string[] {
  const s = p.sync;
  if (!s) return [];
  const lines: string[] = [];
  for (const dir of ['forward', 'reverse'] as const) {
    const d = s[dir];
    if (!d) continue;
    const age = d.oldestAgeMs === null ? '' : `, oldest ${(d.oldestAgeMs / 1000).toFixed(1)} s`;
    lines.push(`Live writes ${dir === 'forward' ? 'legacy -> target' : 'target -> legacy'}: backlog ${d.backlog.toLocaleString('en-US')}${age} · ${d.replayed.toLocaleString('en-US')} replayed · ${d.ratePerSec.toLocaleString('en-US')} changes/s`);
  }
  if (s.liveDefects) lines.push(`  ${s.liveDefects} rows quarantined by the replay (live writes that made a defect)`);
  const c = s.cutover;
  if (c) {
    const holds = c.holdsMs.length ? `, holds ${c.holdsMs.map((ms) => `${ms} ms`).join(', ')}` : '';
    lines.push(`Cut-over: ${c.attempts} attempt(s)${holds}${c.lastReason ? `; last: ${c.lastReason}` : ''}`);
    if (c.rechecked) lines.push(`  last check before the switch: ${c.rechecked.keys} keys changed since verify recomputed, ${c.rechecked.differing} rows differ`);
    if (c.waitingForOperator) lines.push(`  WAITING FOR AN OPERATOR: stp-upgrade resume ${p.runId} to try again, or stp-upgrade abort ${p.runId}`);
  }
  if (s.carriedBack !== undefined) lines.push(`Rollback carried ${s.carriedBack.toLocaleString('en-US')} of green's changes back to the legacy tables`);
  return lines;
}

/** Approval gate, monitoring of green and finalize, when the run has reached them. */
export function releaseLines(p: Progress): string[] {
  const lines: string[] = [];
  if (p.phase === 'awaiting_approval') {
    const until = p.waitingUntil ? ` until ${new Date(p.waitingUntil).toISOString()}` : '';
    lines.push(`Waiting for approval${until}: stp-upgrade approve ${p.runId} --by NAME (or abort ${p.runId})`);
  }
  if (p.approval) lines.push(`Approved by ${p.approval.by} at ${p.approval.at}${p.approval.comment ? `: ${p.approval.comment}` : ''}`);
  const m = p.monitoring;
  if (m) {
    const state = m.outcome ? `ended ${m.outcome}${m.reason ? ` (${m.reason})` : ''}` : m.paused ? `PAUSED: ${m.pausedReason ?? ''} (resume: stp-upgrade resume ${p.runId})` : `${duration(m.secondsLeft)} left`;
    lines.push(`Monitoring green: ${m.checks} checks, ${m.failures} failed (${m.consecutiveFailures} in a row), ${state}`);
  }
  if (p.finalized) {
    const archived = p.finalized.archived.length ? `, archived ${p.finalized.archived.join(', ')}` : '';
    lines.push(`Finalized: schema version ${p.finalized.schemaVersion}${p.finalized.previous !== null ? ` (was ${p.finalized.previous})` : ''}${archived}`);
  }
  return lines;
}

export function formatReport(r: VerifyReport): string[] {
  const lines = [`Verification ${r.ok ? 'passed' : 'FAILED'} (run ${r.runId}, ${r.at})`];
  for (const [table, v] of Object.entries(r.legacy)) {
    lines.push(`  ${table}: ${v.rows} rows, ${v.migrated} migrated, ${v.quarantined} quarantined`);
  }
  lines.push(`  target: ${Object.entries(r.target).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  const checks = Object.entries(r.checks).filter(([, n]) => n > 0);
  lines.push(`  checks: ${checks.length ? checks.map(([k, n]) => `${k} ${n}`).join(', ') : 'all zero'}`);
  const bad = r.checksums.filter((c) => !c.match);
  lines.push(`  checksums: ${r.checksums.length - bad.length}/${r.checksums.length} match${bad.length ? ` (mismatch: ${bad.map((c) => c.rule).join(', ')})` : ''}`);
  lines.push(`  graph: ${r.graph.skipped ? `skipped${r.graph.reason ? ` (${r.graph.reason})` : ''}` : `vertices ${r.graph.vertices?.target ?? '?'}/${r.graph.vertices?.source ?? '?'}, edges ${r.graph.edges?.target ?? '?'}/${r.graph.edges?.source ?? '?'}`}`);
  for (const p of r.problems) lines.push(`  PROBLEM: ${p}`);
  for (const w of r.warnings) lines.push(`  WARNING: ${w}`);
  return lines;
}

const NEXT: Record<number, string> = {
  0: 'done.',
  1: 'the run failed and was rolled back; fix the cause and start a new run.',
  2: 'nothing was changed; fix the plan or the data and start again.',
  3: 'THE ROLLBACK FAILED: undo what is listed above by hand (see the runbook), then start again.',
};

export function formatOutcome(o: Outcome): string[] {
  const lines = o.progress ? formatProgress(o.progress) : [`Run ${o.workflowId}: ${o.phase}`];
  if (o.report) lines.push(...formatReport(o.report));
  if (o.error && o.error !== o.progress?.error) lines.push(`Error${o.errorType ? ` (${o.errorType})` : ''}: ${o.error}`);
  if (o.rolledBack) lines.push(`Rolled back at ${o.rolledBack.at} by ${o.rolledBack.by} (${o.rolledBack.trigger}): ${o.rolledBack.reason}`);
  lines.push(`Result: ${o.status.toLowerCase()}, phase ${o.phase}: ${NEXT[o.exitCode] ?? ''} (exit ${o.exitCode})`);
  return lines;
}

/** The --json form of an outcome. */
export function outcomeJson(o: Outcome, details: object = {}): string {
  return JSON.stringify({ workflowId: o.workflowId, status: o.status, phase: o.phase, exitCode: o.exitCode, error: o.error, errorType: o.errorType, ...details, rolledBack: o.rolledBack ?? null, report: o.report ?? null, progress: o.progress ?? null }, null, 2);
}
