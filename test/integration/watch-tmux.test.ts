import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO_ROOT, runCliProcess, startWorkerProcess } from '../helpers/processes';
import { cloneDatabase, fixtureTemplate, randomQueue, tempDir, waitFor, writePlan, type TestDb } from './upgrade-support';

/**
 * `stp-upgrade watch` in a real terminal (tmux) at 80 and 200 columns, on a real run: no line is
 * wider than the terminal (a wrapped line would leave stale lines behind on the next redraw), the
 * frame is redrawn in place (nothing scrolls into tmux's history), the bar of the rule being
 * copied moves from one second to the next, and watch exits with the run's code.
 */
const SOCKET = `stp-watch-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });

describe('watch in tmux', () => {
  let tpl: Awaited<ReturnType<typeof fixtureTemplate>>;
  const dbs: TestDb[] = [];
  let worker: Awaited<ReturnType<typeof startWorkerProcess>>;
  const queue = randomQueue('stp-watch');
  const env: Record<string, string> = { STP_TASK_QUEUE: queue };
  const dir = tempDir('watch');

  before(async () => {
    assert.equal(spawnSync('tmux', ['-V']).status, 0, 'tmux is needed: scripts/install.sh installs it (apt-get install tmux)');
    tpl = await fixtureTemplate('watch_tpl', { chunks: 12_000, dim: 8, seed: 5, graph: false });
    for (const w of [80, 200]) {
      const db = await cloneDatabase(tpl.template, `watch_${w}`);
      dbs.push(db);
      env[`STP_DATABASE_URL_W${w}`] = db.url;
    }
    worker = await startWorkerProcess(env);
  });
  after(async () => {
    spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
    await worker?.stop();
    for (const db of dbs) await db.drop();
    await tpl?.drop();
  });

  for (const columns of [80, 200]) {
    test(`${columns} columns: fits, redraws in place, bars move every second`, async () => {
      const id = `${queue}-w${columns}`;
      // Small, throttled batches: the copy lasts long enough to watch several redraws.
      const plan = writePlan(dir, `w${columns}`, {
        database: `w${columns}`, steps: ['preflight', 'schema', 'copy', 'verify'], graph: { optional: true },
        copy: { batchSize: 50, throttleMs: 60 }, defects: { policy: 'quarantine' }, embeddings: { index: { kind: 'none' } },
      });
      const started = await runCliProcess(['start', '--plan', plan, '--workflow-id', id], env);
      assert.equal(started.code, 0, started.stderr);
      const session = `w${columns}`;
      const cmd = `env ${Object.entries(env).map(([k, v]) => `${k}='${v}'`).join(' ')} ${process.execPath} ${path.join(REPO_ROOT, 'bin', 'stp-upgrade.js')} watch ${id}; echo EXIT=$?; sleep 120`;
      tmux('new-session', '-d', '-s', session, '-x', String(columns), '-y', '50', cmd);
      const frames: string[] = [];
      const final = await waitFor('watch to end', async () => {
        const pane = tmux('capture-pane', '-p', '-t', session);
        frames.push(pane);
        return pane.includes('EXIT=') ? pane : undefined;
      }, 180_000, 1000);
      for (const f of frames) {
        for (const line of f.split('\n')) assert.ok(line.length < columns, `a line of ${line.length} columns in a ${columns}-column terminal:\n${line}`);
      }
      const history = Number(tmux('display-message', '-p', '-t', session, '#{history_size}').trim());
      assert.ok(history <= 1, `watch scrolled ${history} lines into the history instead of redrawing in place`);
      const chunkCounts = frames.map((f) => /chunks\s+\[[#-]+\]\s+[\d.]+%\s+([\d,]+)\//.exec(f)?.[1]).filter((c): c is string => c !== undefined);
      const moves = chunkCounts.filter((c, i) => i > 0 && c !== chunkCounts[i - 1]).length;
      assert.ok(moves >= 3, `the chunks bar moved ${moves} times over ${chunkCounts.length} one-second frames: ${chunkCounts.join(' ')}`);
      assert.match(final, /Result: completed, phase completed: done\. \(exit 0\)/);
      assert.match(final, /EXIT=0/);
      assert.match(final, /ETA .* \(whole copy\)|Started .* took/);
    });
  }
});
