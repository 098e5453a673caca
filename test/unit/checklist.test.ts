import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatChecklist, migrationChecklist } from '../../common/checklist';
import { ALL_STEPS, parsePlan, type PlanInput } from '../../common/plan';

function plan(input: PlanInput) {
  const p = parsePlan(input);
  assert.ok(p.ok, p.ok ? '' : p.errors.join('\n'));
  return p.plan;
}
const byItem = (items: ReturnType<typeof migrationChecklist>) => Object.fromEntries(items.map((i) => [i.item, i]));

test('checklist of a bare data-only plan: backup configured, alerts and notification to do, people items manual', () => {
  const c = byItem(migrationChecklist(plan({})));
  assert.equal(c['Full system backup completed'].status, 'info');
  assert.match(c['Full system backup completed'].note, /configured: pg_dump .*no backup\.config \/ backup\.binary.*restore tested/);
  assert.equal(c['Migration scripts tested in staging'].status, 'manual');
  assert.equal(c['Rollback procedures verified'].status, 'done');
  assert.equal(c['Monitoring alerts configured'].status, 'todo');
  assert.match(c['Monitoring alerts configured'].note, /no plan\.alerts\.webhooks/);
  assert.equal(c['Team notification sent'].status, 'todo');
  assert.equal(c['Post-migration validation plan ready'].status, 'done');
  assert.match(c['Approval gate'].note, /^off/);
});

test('checklist of a full plan: files backed up, alerts heard, approval on; the backup ticks once done', () => {
  const p = plan({
    steps: [...ALL_STEPS],
    backup: { config: '/etc/semantic-text-processor', binary: '/usr/local/bin/semantic-text-processor' },
    release: { approval: { required: true, timeoutMinutes: 30 } },
    alerts: { webhooks: [{ urlEnv: 'SLACK_URL', format: 'slack' }] },
  });
  const c = byItem(migrationChecklist(p));
  assert.match(c['Full system backup completed'].note, /\+ configuration and binary/);
  assert.match(c['Rollback procedures verified'].note, /blue back and proven serving.*restores the configuration and binary/);
  assert.equal(c['Monitoring alerts configured'].status, 'done');
  assert.equal(c['Team notification sent'].status, 'done');
  assert.match(c['Post-migration validation plan ready'].note, /verify report, smoke tests on green, monitoring of green/);
  assert.match(c['Approval gate'].note, /^on: .*timeout 30 min/);
  assert.equal(byItem(migrationChecklist(p, { backupDone: true }))['Full system backup completed'].status, 'done');
  const lines = formatChecklist(migrationChecklist(p, { backupDone: true }));
  assert.equal(lines[0].slice(0, 6), '  [x] ');
  assert.ok(lines.some((l) => l.startsWith('  [?] Migration scripts tested in staging')));
});

test('checklist: no backup step, an untested restore, alerts that miss the breach', () => {
  assert.equal(byItem(migrationChecklist(plan({ steps: ['preflight', 'schema', 'copy'] })))['Full system backup completed'].status, 'todo');
  const untested = byItem(migrationChecklist(plan({ backup: { testRestore: false } })));
  assert.equal(untested['Full system backup completed'].status, 'todo');
  assert.match(untested['Full system backup completed'].note, /restore NOT tested/);
  const partial = byItem(migrationChecklist(plan({ alerts: { webhooks: [{ url: 'https://alerts.example.com/x', events: ['run_started'] }] } })));
  assert.equal(partial['Monitoring alerts configured'].status, 'todo');
  assert.match(partial['Monitoring alerts configured'].note, /none hears monitoring_breach; none hears rollback_failed/);
  assert.equal(partial['Team notification sent'].status, 'done');
});
