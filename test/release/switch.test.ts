import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createProcessDeployer, DeployHandle } from '../../activities/release/deployers';
import { DeployConflictError, NginxConfigError, SwitchCommandError, SwitchNotProvenError } from '../../activities/release/errors';
import {
  createCommandSwitch, createNginxSwitch, NginxInstance, nginxBinary, proveServing, readUpstreamTarget, startNginx, SwitchTarget,
} from '../../activities/release/switch';
import { ensureLegacySchema, ensureUnifiedSchema } from '../../service/schema';
import { createTestDatabase } from '../helpers/pg';
import { freePort, startLoad } from './support';

const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stp-switch-test-'));
const deployer = createProcessDeployer({ stateDir: path.join(stateDir, 'deploy') });
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let nginx: NginxInstance | undefined;
let blue: DeployHandle;
let green: DeployHandle;
let blueTarget: SwitchTarget;
let greenTarget: SwitchTarget;

before(async () => {
  db = await createTestDatabase('release_switch', { extensions: ['vector'] });
  await ensureLegacySchema(db.pool, 384);
  await ensureUnifiedSchema(db.pool, 384);
  const env = { DATABASE_URL: db.url };
  [blue, green] = await Promise.all([
    freePort().then((port) => deployer.deploy({ instance: 'blue', version: '1', port, env })),
    freePort().then((port) => deployer.deploy({ instance: 'green', version: '2', port, env })),
  ]);
  await Promise.all([deployer.waitHealthy(blue), deployer.waitHealthy(green)]);
  blueTarget = { instance: 'blue', version: '1', port: blue.port };
  greenTarget = { instance: 'green', version: '2', port: green.port };
  nginx = await startNginx({ stateDir: path.join(stateDir, 'nginx'), listenPort: await freePort(), upstream: blueTarget });
});

after(async () => {
  await nginx?.stop();
  for (const h of [blue, green]) if (h) await deployer.stop(h, { graceMs: 2000 });
  await db?.drop();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

const nginxSwitch = () => createNginxSwitch({ layout: nginx!.layout, lbUrl: nginx!.url });

/** Runs fn under bounded load through nginx and returns the load report. */
async function underLoad(fn: () => Promise<unknown>) {
  const load = startLoad(nginx!.url, { concurrency: 4, maxMs: 10_000, maxRequests: 3000 });
  await new Promise((r) => setTimeout(r, 300));
  await fn();
  await new Promise((r) => setTimeout(r, 300));
  return load.stop();
}

test('deployers and nginx are idempotent', async () => {
  const again = await deployer.deploy({ instance: 'blue', version: '1', port: blue.port, env: { DATABASE_URL: db.url } });
  assert.equal(again.pid, blue.pid);
  await assert.rejects(deployer.deploy({ instance: 'blue', version: '2', port: blue.port, env: { DATABASE_URL: db.url } }), DeployConflictError);
  const pid = nginx!.control.pid();
  const adopted = await startNginx({ stateDir: nginx!.layout.prefix, listenPort: Number(new URL(nginx!.url).port), upstream: greenTarget });
  assert.equal(adopted.control.pid(), pid);
  await proveServing(nginx!.url, blueTarget);
});

test('nginx switch to green under load: proven by header, no failed request', async () => {
  let result;
  const report = await underLoad(async () => (result = await nginxSwitch().switchTo(greenTarget)));
  assert.equal(report.failed, 0, report.failures.join('\n'));
  assert.ok(report.byInstance.blue > 0 && report.byInstance.green > 0, JSON.stringify(report.byInstance));
  assert.equal(result!.previous?.instance, 'blue');
  assert.ok(result!.proof.consecutive >= 5);
  assert.deepEqual(readUpstreamTarget(nginx!.layout.upstreamFile), greenTarget);
  assert.match(fs.readFileSync(nginx!.layout.upstreamFile, 'utf8'), new RegExp(`upstream stp_backend \\{ server 127\\.0\\.0\\.1:${green.port}; \\}`));

  const back = await underLoad(async () => assert.equal((await nginxSwitch().undo(result!))?.target.instance, 'blue'));
  assert.equal(back.failed, 0, back.failures.join('\n'));
  await proveServing(nginx!.url, blueTarget);
});

test('a reload that does not move traffic is retried, then reported', async () => {
  const layout = { ...nginx!.layout, upstreamFile: path.join(stateDir, 'not-included.conf') };
  const sw = createNginxSwitch({ layout, lbUrl: nginx!.url, attempts: 2, proof: { deadlineMs: 800 } });
  await assert.rejects(sw.switchTo(greenTarget), (err: Error) => err instanceof SwitchNotProvenError && /reloaded 2 times/.test(err.message));
  await proveServing(nginx!.url, blueTarget);
});

test('a config nginx rejects restores the previous upstream file', async () => {
  const before = fs.readFileSync(nginx!.layout.upstreamFile, 'utf8');
  await assert.rejects(nginxSwitch().switchTo({ ...greenTarget, host: 'bad host' }), NginxConfigError);
  assert.equal(fs.readFileSync(nginx!.layout.upstreamFile, 'utf8'), before);
  await proveServing(nginx!.url, blueTarget);
});

test("command switch runs the operator's script and proves it; a no-op script is caught", async () => {
  const l = nginx!.layout;
  const script = path.join(stateDir, 'switch.sh');
  fs.writeFileSync(script, `#!/bin/sh
set -e
printf 'upstream stp_backend { server %s:%s; }\\n' "$STP_TARGET_HOST" "$STP_TARGET_PORT" > '${l.upstreamFile}'
exec '${nginxBinary()}' -s reload -c '${l.conf}' -p '${l.prefix}' -e '${l.errorLog}'
`);
  const sw = createCommandSwitch({ command: ['sh', script], lbUrl: nginx!.url });
  const result = await sw.switchTo(greenTarget, { previous: blueTarget });
  assert.equal(result.attempts, 1);
  assert.equal((await sw.undo(result))?.target.instance, 'blue');
  const noop = createCommandSwitch({ command: ['true'], lbUrl: nginx!.url, attempts: 2, proof: { deadlineMs: 500 } });
  await assert.rejects(noop.switchTo(greenTarget), SwitchNotProvenError);
  await assert.rejects(createCommandSwitch({ command: ['false'], lbUrl: nginx!.url }).switchTo(greenTarget), SwitchCommandError);
  await proveServing(nginx!.url, blueTarget);
});

test('switch to green, then drain and stop blue under load: no failed request', async () => {
  const report = await underLoad(async () => {
    await nginxSwitch().switchTo(greenTarget);
    await deployer.stop(blue, { graceMs: 5000 });
  });
  assert.equal(report.failed, 0, report.failures.join('\n'));
  assert.equal(await deployer.isRunning(blue), false);
  await deployer.stop(blue);
  await proveServing(nginx!.url, greenTarget);
});
