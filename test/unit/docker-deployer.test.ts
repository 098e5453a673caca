import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CommandOptions, CommandResult } from '../../activities/release/command';
import { createDockerDeployer } from '../../activities/release/deployers';
import { DeployConflictError, DeployFailedError } from '../../activities/release/errors';

/** A recording docker: answers `docker inspect` from a table of containers, everything else with 0. */
function fakeDocker(containers: Record<string, { running: boolean; hash?: string }> = {}) {
  const calls: { argv: string[]; env?: Record<string, string> }[] = [];
  const runner = async (argv: string[], opts: CommandOptions = {}): Promise<CommandResult> => {
    calls.push({ argv, env: opts.env });
    if (argv[1] === 'inspect') {
      const c = containers[argv[argv.length - 1]];
      return c ? { code: 0, stdout: `${c.running} ${c.hash ?? ''}\n`, stderr: '' } : { code: 1, stdout: '', stderr: 'Error: No such object' };
    }
    return { code: 0, stdout: 'ok\n', stderr: '' };
  };
  return { runner, calls, argv: () => calls.filter((c) => c.argv[1] !== 'inspect').map((c) => c.argv) };
}

const spec = { instance: 'green', version: '2', port: 8081, env: { DATABASE_URL: 'postgres://stp@db/stp' } };

test('deploy issues the runbook docker run, with env values kept out of argv', async () => {
  const d = fakeDocker();
  const handle = await createDockerDeployer({ runner: d.runner }).deploy(spec);
  const run = d.calls.find((c) => c.argv[1] === 'run')!;
  assert.deepEqual(run.argv, [
    'docker', 'run', '-d', '--name', 'semantic-text-processor-green', '-p', '8081:8080',
    '--label', `stp.spec=${handle.specHash}`, '--label', 'stp.instance=green',
    '-e', 'DATABASE_URL', '-e', 'PORT', '-e', 'STP_INSTANCE', '-e', 'STP_LISTEN_HOST', '-e', 'STP_SERVICE_VERSION',
    'semantic-text-processor:latest',
  ]);
  assert.equal(run.env?.DATABASE_URL, 'postgres://stp@db/stp');
  assert.equal(run.env?.STP_SERVICE_VERSION, '2');
  assert.ok(!run.argv.some((a) => a.includes('postgres://')));
  assert.equal(handle.container, 'semantic-text-processor-green');
});

test('plan.release.config: the config.yaml is mounted read-only where the service reads it; its content is part of the spec', async () => {
  const d = fakeDocker();
  const withConfig = { ...spec, config: { file: '/etc/semantic-text-processor.v2/config.yaml', sha256: 'a'.repeat(64) } };
  const handle = await createDockerDeployer({ runner: d.runner }).deploy(withConfig);
  const run = d.calls.find((c) => c.argv[1] === 'run')!;
  const v = run.argv.indexOf('-v');
  assert.equal(run.argv[v + 1], '/etc/semantic-text-processor.v2/config.yaml:/etc/semantic-text-processor/config.yaml:ro');
  assert.ok(run.argv.includes('STP_CONFIG_FILE'));
  assert.equal(run.env?.STP_CONFIG_FILE, '/etc/semantic-text-processor/config.yaml');
  const edited = await createDockerDeployer({ runner: fakeDocker().runner }).deploy({ ...withConfig, config: { ...withConfig.config, sha256: 'b'.repeat(64) } });
  assert.notEqual(edited.specHash, handle.specHash, 'the same path with other contents is another spec');
});

test('deploy is idempotent: same spec running returns it, a stopped one is removed first, another spec conflicts', async () => {
  const probe = await createDockerDeployer({ runner: fakeDocker().runner }).deploy(spec);
  const same = fakeDocker({ 'semantic-text-processor-green': { running: true, hash: probe.specHash } });
  await createDockerDeployer({ runner: same.runner }).deploy(spec);
  assert.deepEqual(same.argv(), []);

  const stale = fakeDocker({ 'semantic-text-processor-green': { running: false, hash: 'old' } });
  await createDockerDeployer({ runner: stale.runner, publishHost: '127.0.0.1', image: 'stp:2' }).deploy(spec);
  assert.deepEqual(stale.argv()[0], ['docker', 'rm', 'semantic-text-processor-green']);
  assert.deepEqual(stale.argv()[1].slice(0, 7), ['docker', 'run', '-d', '--name', 'semantic-text-processor-green', '-p', '127.0.0.1:8081:8080']);
  assert.equal(stale.argv()[1].at(-1), 'stp:2');

  const other = fakeDocker({ 'semantic-text-processor-green': { running: true, hash: 'other' } });
  await assert.rejects(createDockerDeployer({ runner: other.runner }).deploy(spec), DeployConflictError);
});

test('stop is docker stop + docker rm, and nothing when the container is gone; rename is docker rename', async () => {
  const d = fakeDocker({ 'semantic-text-processor-blue': { running: true } });
  const deployer = createDockerDeployer({ runner: d.runner });
  const blue = { kind: 'docker' as const, instance: 'blue', identity: 'blue', version: '1', port: 8080, specHash: 'x', container: 'semantic-text-processor-blue' };
  await deployer.stop(blue, { graceMs: 60_000 });
  assert.deepEqual(d.argv(), [
    ['docker', 'stop', '-t', '60', 'semantic-text-processor-blue'],
    ['docker', 'rm', 'semantic-text-processor-blue'],
  ]);
  const gone = fakeDocker();
  await createDockerDeployer({ runner: gone.runner }).stop(blue);
  assert.deepEqual(gone.argv(), []);

  const green = { ...blue, instance: 'green', identity: 'green', container: 'semantic-text-processor-green' };
  const renamed = await deployer.rename(green, 'blue');
  assert.deepEqual(d.argv().at(-1), ['docker', 'rename', 'semantic-text-processor-green', 'semantic-text-processor-blue']);
  assert.equal(renamed.instance, 'blue');
  assert.equal(renamed.identity, 'green');
});

test('a failing docker command is reported with its stderr', async () => {
  const runner = async (argv: string[]): Promise<CommandResult> =>
    argv[1] === 'inspect' ? { code: 1, stdout: '', stderr: '' } : { code: 125, stdout: '', stderr: 'port is already allocated' };
  await assert.rejects(createDockerDeployer({ runner }).deploy(spec), (e: Error) =>
    e instanceof DeployFailedError && /docker run .* exited 125: port is already allocated/.test(e.message));
});

test('waitHealthy polls the published port while the container runs', async () => {
  const server = http.createServer((_req, res) => {
    res.setHeader('X-STP-Instance', 'green');
    res.end(JSON.stringify({ status: 'healthy', version: '2', components: { database: { schema_version: 2 } } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const port = (server.address() as AddressInfo).port;
    const d = fakeDocker({ 'semantic-text-processor-green': { running: true } });
    const deployer = createDockerDeployer({ runner: d.runner });
    const handle = { kind: 'docker' as const, instance: 'green', identity: 'green', version: '2', port, specHash: 'x', container: 'semantic-text-processor-green' };
    const report = await deployer.waitHealthy(handle, { timeoutMs: 3000 });
    assert.equal(report.schemaVersion, 2);
    const dead = createDockerDeployer({ runner: fakeDocker({ 'semantic-text-processor-green': { running: false } }).runner });
    await assert.rejects(dead.waitHealthy(handle, { timeoutMs: 3000 }), DeployFailedError);
  } finally {
    server.close();
  }
});
