import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';

const CACHE = process.env.STP_CACHE ?? path.join(os.homedir(), '.cache', 'stp-upgrade');

/** The time-skipping test server binary installed by scripts/install.sh (never downloaded at run time). */
export function testServerPath(): string {
  const p = process.env.TEMPORAL_TEST_SERVER_PATH ?? path.join(CACHE, 'bin', 'temporal-test-server');
  if (!fs.existsSync(p)) throw new Error(`no Temporal test server at ${p}: run npm run install:servers`);
  return p;
}

export function temporalCliPath(): string {
  const p = process.env.TEMPORAL_CLI_PATH ?? path.join(CACHE, 'bin', 'temporal');
  if (!fs.existsSync(p)) throw new Error(`no Temporal CLI at ${p}: run npm run install:servers`);
  return p;
}

export const TEMPORAL_ADDRESS = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
