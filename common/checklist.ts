import type { Plan } from './plan';
import { releasePlanOf } from './release';

/**
 * The runbook's Migration Checklist, each item ticked from what the tool knows about a plan (and,
 * during a run, whether the backup step finished). Pure: assess, the saga and status share it.
 *   done: true by the plan or the run; todo: the plan leaves it out; manual: only people know;
 *   info: a setting worth seeing (the approval gate).
 */
export type ChecklistStatus = 'done' | 'todo' | 'manual' | 'info';

export interface ChecklistItem {
  item: string;
  status: ChecklistStatus;
  note: string;
}

export interface ChecklistFacts {
  /** The backup step of the run finished (its dump was restored into a scratch database when testRestore). */
  backupDone?: boolean;
}

export function migrationChecklist(plan: Plan, facts: ChecklistFacts = {}): ChecklistItem[] {
  const has = (s: string) => (plan.steps as string[]).includes(s);
  const release = plan.release ? releasePlanOf(plan) : undefined;
  const hooks = plan.alerts?.webhooks ?? [];
  const hears = (e: string) => hooks.some((w) => (w.events as string[]).includes(e));
  const files = [plan.backup.config && 'configuration', plan.backup.binary && 'binary'].filter(Boolean).join(' and ');
  const items: ChecklistItem[] = [];
  const add = (item: string, status: ChecklistStatus, note: string) => items.push({ item, status, note });

  if (!has('backup')) add('Full system backup completed', 'todo', 'the plan has no backup step');
  else {
    const what = `pg_dump of the touched tables${files ? ` + ${files}` : ' (no backup.config / backup.binary: the application files are not backed up)'}`;
    const restorable = plan.backup.testRestore ? 'restore tested into a scratch database' : 'restore NOT tested (backup.testRestore: false)';
    add('Full system backup completed', facts.backupDone ? 'done' : plan.backup.testRestore ? 'info' : 'todo',
      `${facts.backupDone ? 'done' : 'configured'}: ${what}; ${restorable}`);
  }
  add('Migration scripts tested in staging', 'manual', 'run the same plan against a staging database first (--database staging)');
  const releaseUndo = release ? ', blue back and proven serving' : '';
  add('Rollback procedures verified', 'done', `every step registers its undo before it acts${releaseUndo}; emergency: stp-upgrade rollback ID` +
    (files ? ` (restores the ${files} from the backup)` : ''));
  add('Maintenance window scheduled', 'manual', release ? 'blue serves throughout; the cut-over holds writes for at most plan.sync.cutover.maxHoldMs' : 'the data steps run online; blue keeps serving');
  add('Monitoring alerts configured', hears('monitoring_breach') && hears('rollback_failed') ? 'done' : 'todo',
    hooks.length === 0 ? 'no plan.alerts.webhooks' : `${hooks.length} webhook(s)${hears('monitoring_breach') ? '' : '; none hears monitoring_breach'}${hears('rollback_failed') ? '' : '; none hears rollback_failed'}`);
  add('Team notification sent', hears('run_started') ? 'done' : 'todo', hears('run_started') ? 'the webhooks hear run_started' : 'no webhook hears run_started');
  const validation = [has('verify') && 'verify report', has('smoke') && release?.smoke.enabled && 'smoke tests on green', has('monitor') && 'monitoring of green'].filter(Boolean);
  add('Post-migration validation plan ready', validation.length > 0 ? 'done' : 'todo', validation.length > 0 ? validation.join(', ') : 'no verify, smoke or monitor step');
  add('Approval gate', 'info', release?.approval.required ? `on: the switch waits for stp-upgrade approve (timeout ${release.approval.timeoutMinutes} min)` : 'off (release.approval.required: false)');
  return items;
}

const MARK: Record<ChecklistStatus, string> = { done: '[x]', todo: '[ ]', manual: '[?]', info: '[i]' };

export function formatChecklist(items: ChecklistItem[]): string[] {
  return items.map((i) => `  ${MARK[i.status]} ${i.item}: ${i.note}`);
}
