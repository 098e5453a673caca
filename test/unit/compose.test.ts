import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { DEFAULT_NAMESPACE, DEFAULT_TASK_QUEUE } from '../../common/names';

// docker-compose.yml cannot run here (no Docker engine): check that it parses and agrees with the code.
const root = process.env.STP_REPO_ROOT ?? path.resolve(__dirname, '..', '..', '..');
const compose = YAML.parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'));
const source = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

test('compose has postgres (pgvector + AGE), temporal with its UI, and the worker', () => {
  assert.deepEqual(Object.keys(compose.services).sort(), ['postgres', 'temporal', 'worker']);
  assert.ok(compose.services.postgres.ports.includes('127.0.0.1:55432:5432'));
  assert.ok(compose.services.temporal.ports.includes('127.0.0.1:7233:7233'));
  assert.ok(compose.services.temporal.ports.includes('127.0.0.1:8233:8233'));
  const dockerfile = source(compose.services.postgres.build.dockerfile);
  assert.match(dockerfile, /postgresql-17-pgvector/);
  assert.match(dockerfile, /postgresql-17-age/);
  for (const file of [compose.services.worker.build.dockerfile]) assert.ok(fs.existsSync(path.join(root, file)), file);
});

test('the worker gets exactly the variables the code reads, with the code defaults', () => {
  const env = compose.services.worker.environment as Record<string, string>;
  // TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE are read by @temporalio/envconfig, as by the temporal CLI.
  const read = [
    'client/temporal-settings.ts',
    'node_modules/@temporalio/envconfig/lib/envconfig-toml.js',
    'common/database-name.ts',
    'common/codec/keys.ts',
    'workers/logging.ts',
    'workers/runtime.ts',
  ].map(source).join('\n');
  for (const name of ['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'STP_TASK_QUEUE', 'STP_DATABASE_URL', 'STP_CODEC_KEYS', 'STP_LOG_LEVEL', 'STP_METRICS_ADDRESS']) {
    assert.ok(name in env, `compose sets ${name}`);
    assert.ok(read.includes(name), `the code reads ${name}`);
  }
  assert.equal(env.STP_TASK_QUEUE, DEFAULT_TASK_QUEUE);
  assert.equal(env.TEMPORAL_NAMESPACE, DEFAULT_NAMESPACE);
  assert.equal(env.TEMPORAL_ADDRESS, 'temporal:7233');
  assert.match(env.STP_DATABASE_URL, /^postgres:\/\/[^:@]+@postgres:5432\//, 'no password in the URL');
  assert.equal(env.STP_CODEC_KEYS, '${STP_CODEC_KEYS:-}', 'the codec keys come from the host, never from the file');
});

test('the metrics port is published where the worker serves it', () => {
  const env = compose.services.worker.environment as Record<string, string>;
  const port = env.STP_METRICS_ADDRESS.split(':').pop();
  assert.equal(env.STP_METRICS_ADDRESS, `0.0.0.0:${port}`, 'bound on all interfaces inside the container');
  assert.ok((compose.services.worker.ports as string[]).includes(`127.0.0.1:${port}:${port}`), 'published on the host\'s loopback');
  assert.match(source(compose.services.worker.build.dockerfile), new RegExp(`EXPOSE ${port}`));
});

test('the worker image runs as a non-root user with production dependencies only', () => {
  const dockerfile = source(compose.services.worker.build.dockerfile);
  const stages = dockerfile.split(/^FROM /m).slice(1);
  assert.ok(stages.length >= 2, 'a build stage and a runtime stage');
  const runtime = stages[stages.length - 1]!;
  assert.match(runtime, /npm ci --omit=dev/, 'production dependencies only');
  assert.doesNotMatch(runtime, /COPY --from=\w+ \/app\/node_modules/, 'not the build stage\'s node_modules (with dev dependencies)');
  assert.match(runtime, /COPY --from=build \/app\/dist \.\/dist/);
  const user = /^USER (\S+)/m.exec(runtime);
  assert.ok(user && user[1] !== 'root' && user[1] !== '0', 'USER is not root');
  assert.ok(runtime.indexOf('USER ') < runtime.indexOf('CMD '), 'USER before CMD');
  assert.match(runtime, /CMD \["node", "bin\/stp-upgrade\.js", "worker"\]/);
  const pkg = JSON.parse(source('package.json')) as { dependencies: Record<string, string> };
  for (const dep of ['@temporalio/envconfig', 'pino', '@temporalio/worker']) assert.ok(dep in pkg.dependencies, `${dep} is a production dependency`);
});
