import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import YAML from 'yaml';
import type { PlanInput } from '../common/plan';
import { runCliProcess, startWorkerProcess } from '../test/helpers/processes';
import { TEMPORAL_ADDRESS } from '../test/helpers/temporal';
import { runSplit, type RunSplit } from './history';

export type Worker = Awaited<ReturnType<typeof startWorkerProcess>>;

/** Peak resident set of a process (VmHWM), in MB; null when /proc cannot tell. */
export function peakRssMb(pid: number | undefined): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

export function benchEnv(url: string): NodeJS.ProcessEnv {
  return { TEMPORAL_ADDRESS, STP_TASK_QUEUE: `bench-${randomUUID().slice(0, 8)}`, STP_DATABASE_URL: url };
}

export function writePlanFile(plan: PlanInput): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'stp-bench-')), 'plan.yaml');
  fs.writeFileSync(file, YAML.stringify(plan));
  return file;
}

export async function temporalClient(): Promise<{ client: Client; close: () => Promise<void> }> {
  const connection = await Connection.connect({ address: TEMPORAL_ADDRESS });
  return { client: new Client({ connection }), close: () => connection.close() };
}

/**
 * The data steps of `plan` as an operator runs them: a real worker process and `stp-upgrade start
 * --wait`. Returns the split of the run (from its history) and the worker's peak RSS.
 */
export async function runTool(url: string, plan: PlanInput, label: string): Promise<RunSplit & { rssMb: number | null; workflowId: string }> {
  const env = benchEnv(url);
  const worker = await startWorkerProcess(env);
  const workflowId = `bench-${label}-${Date.now()}`;
  try {
    const run = await runCliProcess(['start', '--plan', writePlanFile(plan), '--workflow-id', workflowId, '--wait', '--json'], env, 4 * 3600_000);
    if (run.code !== 0) throw new Error(`the run ${workflowId} ended with exit code ${run.code}:\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}\n${worker.output().slice(-3000)}`);
    const rssMb = peakRssMb(worker.child.pid);
    const t = await temporalClient();
    try {
      return { ...(await runSplit(t.client, workflowId)), rssMb, workflowId };
    } finally {
      await t.close();
    }
  } finally {
    await worker.stop();
  }
}
