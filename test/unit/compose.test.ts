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
  const read = source('client/connection.ts') + source('common/database-name.ts');
  for (const name of ['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'STP_TASK_QUEUE', 'STP_DATABASE_URL']) {
    assert.ok(name in env, `compose sets ${name}`);
    assert.ok(read.includes(name), `the code reads ${name}`);
  }
  assert.equal(env.STP_TASK_QUEUE, DEFAULT_TASK_QUEUE);
  assert.equal(env.TEMPORAL_NAMESPACE, DEFAULT_NAMESPACE);
  assert.equal(env.TEMPORAL_ADDRESS, 'temporal:7233');
  assert.match(env.STP_DATABASE_URL, /^postgres:\/\/[^:@]+@postgres:5432\//, 'no password in the URL');
});
