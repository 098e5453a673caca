import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createReleaseActivities, type ReleaseDeps } from '../../activities/release';
import { createPreflightActivities } from '../../activities/preflight';
import { NginxControl, nginxLayout } from '../../activities/release/switch';
import { runCli } from '../../client/cli';
import { parsePlan, type Plan } from '../../common/plan';
import type { ReleasePlanInput } from '../../common/release';
import { ensureLegacySchema, ensureUnifiedSchema } from '../../service/schema';
import { createTestDatabase } from '../helpers/pg';
import { call, freePort } from './support';

// plan.release.config with real processes: the new config.yaml checked before green starts and
// handed to it, blue on the old one, and the switch-back serving the old one again.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stp-release-config-'));
const runId = 'run-release-config';
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let acts: ReturnType<typeof createReleaseActivities>;
let ports: { blue: number; green: number; lb: number };
const plans: Plan[] = [];
const oldDir = path.join(tmp, 'etc', 'semantic-text-processor');
const newFile = path.join(tmp, 'etc', 'semantic-text-processor.v2', 'config.yaml');
const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

function makePlan(release: ReleasePlanInput = {}): Plan {
  const parsed = parsePlan({
    database: 'primary',
    release: {
      deployer: { stateDir: path.join(tmp, 'deploy'), blue: { port: ports.blue }, green: { port: ports.green } },
      traffic: { nginx: { stateDir: path.join(tmp, 'nginx'), listenPort: ports.lb } },
      health: { consecutive: 2, deadlineSeconds: 15, intervalMs: 100 },
      drainSeconds: 0,
      config: { old: oldDir, new: newFile },
      ...release,
    },
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  plans.push(parsed.plan);
  return parsed.plan;
}

before(async () => {
  db = await createTestDatabase('release_config', { extensions: ['vector'] });
  await ensureLegacySchema(db.pool, 16);
  await ensureUnifiedSchema(db.pool, 16);
  ports = { blue: await freePort(), green: await freePort(), lb: await freePort() };
  const deps: ReleaseDeps = { pools: { get: () => db.pool }, resolveUrl: () => db.url, stateRoot: tmp };
  acts = createReleaseActivities(deps);
  fs.mkdirSync(oldDir, { recursive: true });
  fs.mkdirSync(path.dirname(newFile), { recursive: true });
  fs.writeFileSync(path.join(oldDir, 'config.yaml'), 'cache:\n  max_size: 7\nfeatures:\n  use_unified_handlers: false\n');
  const out: string[] = [];
  const code = await runCli(['config', 'migrate', '--from', oldDir, '--out', newFile], { out: (l) => out.push(l), err: (l) => out.push(l), env: {} });
  assert.equal(code, 0, out.join('\n'));
});

after(async () => {
  for (const p of plans) {
    for (const which of ['green', 'blue'] as const) await acts.stopInstance({ runId, plan: p, which }).catch(() => undefined);
  }
  await new NginxControl(nginxLayout(path.join(tmp, 'nginx'))).stop(2000).catch(() => undefined);
  await db?.drop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const health = async (port: number) => (await call(`http://127.0.0.1:${port}`, 'GET', '/api/v1/health')).body;

test('an invalid new config.yaml stops the deploy before green starts, naming every problem', async () => {
  const bad = path.join(tmp, 'bad.yaml');
  fs.writeFileSync(bad, 'server:\n  read_timeout: soon\ncache:\n  max_size: -1\n');
  const plan = makePlan({ deployer: { stateDir: path.join(tmp, 'deploy-bad'), green: { port: ports.green } }, config: { new: bad } });
  await assert.rejects(acts.deployGreen({ runId, plan }), (e: Error) =>
    e.name === 'BadInputError' && /plan\.release\.config\.new: .*bad\.yaml is not a valid config\.yaml, green was not deployed/.test(e.message) &&
    /config\.server\.read_timeout: expected a duration/.test(e.message) && /config\.cache\.max_size: expected a non-negative integer/.test(e.message));
  await assert.rejects(call(`http://127.0.0.1:${ports.green}`, 'GET', '/api/v1/health', undefined, 1000), 'green never started');
});

test('preflight refuses a run whose new config.yaml is invalid, before anything changes, naming every problem', async () => {
  const bad = path.join(tmp, 'bad-preflight.yaml');
  fs.writeFileSync(bad, 'cache:\n  max_size: -1\n');
  const plan = makePlan({ config: { new: bad } });
  const steps = { ...plan, steps: [...plan.steps.filter((s) => s !== 'deploy'), 'deploy'] } as Plan;
  await assert.rejects(createPreflightActivities({ pools: { get: () => db.pool } }).preflight({ runId, plan: steps }), (e: Error) =>
    e.name === 'PreconditionError' && /plan\.release\.config\.new: .*bad-preflight\.yaml is not a valid config\.yaml/.test(e.message) &&
    /config\.cache\.max_size: expected a non-negative integer/.test(e.message) && !/green was not deployed/.test(e.message));
});

test('blue runs the old config, green the new one; switch and switch-back serve each; a stopped blue comes back on the old one', async () => {
  const plan = makePlan();
  const input = { runId, plan };
  await acts.startBlue(input);
  const blue = await health(ports.blue);
  assert.deepEqual(blue.config, { file: path.join(oldDir, 'config.yaml'), sha256: sha(path.join(oldDir, 'config.yaml')) });
  assert.equal((await call(`http://127.0.0.1:${ports.blue}`, 'GET', '/api/v1/cache/stats')).body.max_size, 7, 'blue applies the old file');

  const green = await acts.deployGreen(input);
  assert.deepEqual(green.config, { file: newFile, warnings: [] });
  assert.deepEqual((await health(ports.green)).config, { file: newFile, sha256: sha(newFile) });
  assert.equal((await call(`http://127.0.0.1:${ports.green}`, 'GET', '/api/v1/cache/stats')).body.max_size, 7, 'the migrated file kept the old cache size');

  await acts.switchTraffic(input);
  assert.equal((await health(ports.lb)).config.sha256, sha(newFile));

  await acts.stopInstance({ ...input, which: 'blue' });
  await acts.switchBack(input);
  const back = await health(ports.lb);
  assert.equal(back.instance, 'blue');
  assert.deepEqual(back.config, { file: path.join(oldDir, 'config.yaml'), sha256: sha(path.join(oldDir, 'config.yaml')) });
});

test('restartBlue (the emergency rollback after a restore): blue stopped and started again on the file as it is now, healthy', async () => {
  const plan = makePlan();
  const input = { runId, plan };
  const before = await acts.startBlue(input);
  const file = path.join(oldDir, 'config.yaml');
  fs.writeFileSync(file, 'cache:\n  max_size: 11\n');
  const after = await acts.restartBlue(input);
  assert.notEqual(after.pid, before.pid, 'a new process');
  assert.equal(after.started, true);
  assert.equal(after.health.status, 'healthy');
  assert.equal((await health(ports.blue)).config.sha256, sha(file));
  assert.equal((await call(`http://127.0.0.1:${ports.blue}`, 'GET', '/api/v1/cache/stats')).body.max_size, 11);
});
