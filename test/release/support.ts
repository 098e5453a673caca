import http from 'node:http';
import net from 'node:net';

/** Helpers for the release tests: free ports, JSON over fresh connections, a bounded load loop. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any;
  ms: number;
}

/** One request on its own connection (no keep-alive, nothing left open after a test). */
export function call(base: string, method: string, path: string, body?: unknown, timeoutMs = 10_000): Promise<Answer> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(`${base}${path}`, {
      method, agent: false, timeout: timeoutMs,
      headers: { connection: 'close', ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          /* keep text */
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed, ms: Date.now() - started });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`timeout ${method} ${path}`)));
    req.on('error', reject);
    req.end(data);
  });
}

export interface LoadReport {
  ok: number;
  failed: number;
  failures: string[];
  byInstance: Record<string, number>;
}

/**
 * Bounded load through the load balancer: `concurrency` loops of health checks and searches until
 * stop() or maxMs or maxRequests. A failure is a network error or a status other than 200.
 */
export function startLoad(base: string, opts: { concurrency?: number; maxMs?: number; maxRequests?: number } = {}) {
  const report: LoadReport = { ok: 0, failed: 0, failures: [], byInstance: {} };
  const until = Date.now() + (opts.maxMs ?? 10_000);
  const max = opts.maxRequests ?? 3000;
  let stopped = false;
  const loop = async (n: number) => {
    for (let i = 0; !stopped && Date.now() < until && report.ok + report.failed < max; i++) {
      const search = (i + n) % 3 === 0;
      try {
        const r = search
          ? await call(base, 'POST', '/api/v1/search/semantic', { query: `load ${i % 7}`, limit: 3 })
          : await call(base, 'GET', '/api/v1/health');
        const who = String(r.headers['x-stp-instance']);
        report.byInstance[who] = (report.byInstance[who] ?? 0) + 1;
        if (r.status === 200) report.ok++;
        else fail(`${search ? 'search' : 'health'} HTTP ${r.status} from ${who}: ${JSON.stringify(r.body).slice(0, 200)}`);
      } catch (err) {
        fail(`${search ? 'search' : 'health'}: ${(err as Error).message}`);
      }
    }
  };
  const fail = (why: string) => {
    report.failed++;
    if (report.failures.length < 20) report.failures.push(why);
  };
  const loops = Promise.all(Array.from({ length: opts.concurrency ?? 4 }, (_, n) => loop(n)));
  return {
    report,
    async stop(): Promise<LoadReport> {
      stopped = true;
      await loops;
      return report;
    },
  };
}

/**
 * The runbook's post_migration_tests.sh: create a text, read its chunks, search, create a template,
 * delete the text. Returns the problems found (empty = pass) and warnings.
 */
export async function postMigrationTests(apiBase: string): Promise<{ failures: string[]; warnings: string[] }> {
  const failures: string[] = [];
  const warnings: string[] = [];
  const text = await call(apiBase, 'POST', '/texts', { content: 'Test migration content', title: 'Migration Test' });
  const id = text.body?.id;
  if (!id) return { failures: [`text creation failed: HTTP ${text.status} ${JSON.stringify(text.body)}`], warnings };
  const got = await call(apiBase, 'GET', `/texts/${id}`);
  if (!(got.body?.chunks?.length > 0)) failures.push('no chunks created for text');
  const search = await call(apiBase, 'POST', '/search/semantic', { query: 'migration', limit: 5 });
  if (!(search.body?.results?.length > 0)) warnings.push('no search results found');
  const tpl = await call(apiBase, 'POST', '/templates', { template_name: 'Test Template', slot_names: ['test_slot'] });
  if (!tpl.body?.template_id) failures.push(`template creation failed: HTTP ${tpl.status} ${JSON.stringify(tpl.body)}`);
  await call(apiBase, 'DELETE', `/texts/${id}`);
  return { failures, warnings };
}

/** What a writer had acknowledged: the texts it created and still owns, those it deleted, its templates. */
export interface WriteLedger {
  texts: Map<string, { chunks: number; by: string }>;
  deleted: Set<string>;
  templates: Map<string, { slots: number; by: string }>;
  writes: number;
  failed: number;
  failures: string[];
}

const LINES = ['Introduction', '  Background of the work', '    Details of the method', '  Results', 'Conclusion'];

/**
 * A writer like an STP client through the load balancer, about `ratePerSec` requests a second until
 * stop(), maxMs or maxRequests: 70 % POST /texts with indented multi-line content, 10 % DELETE of
 * one of its own earlier texts, 20 % POST /templates. Only acknowledged (2xx) writes enter the ledger.
 */
export function startWriter(base: string, opts: { ratePerSec?: number; maxMs?: number; maxRequests?: number } = {}) {
  const ledger: WriteLedger = { texts: new Map(), deleted: new Set(), templates: new Map(), writes: 0, failed: 0, failures: [] };
  const until = Date.now() + (opts.maxMs ?? 60_000);
  const max = opts.maxRequests ?? 5000;
  const gap = 1000 / (opts.ratePerSec ?? 8);
  let stopped = false;
  const fail = (why: string) => {
    ledger.failed++;
    if (ledger.failures.length < 20) ledger.failures.push(why);
  };
  const loop = (async () => {
    for (let i = 0; !stopped && Date.now() < until && ledger.writes + ledger.failed < max; i++) {
      const started = Date.now();
      const dice = i % 10;
      try {
        if (dice === 9 && ledger.texts.size > 0) {
          const id = [...ledger.texts.keys()][Math.floor(ledger.texts.size / 2)];
          const r = await call(base, 'DELETE', `/api/v1/texts/${id}`);
          if (r.status !== 200) fail(`DELETE HTTP ${r.status}: ${JSON.stringify(r.body).slice(0, 200)}`);
          else {
            ledger.texts.delete(id);
            ledger.deleted.add(id);
            ledger.writes++;
          }
        } else if (dice === 2 || dice === 6) {
          const slots = 1 + (i % 3);
          const r = await call(base, 'POST', '/api/v1/templates', { template_name: `tpl ${i}`, slot_names: Array.from({ length: slots }, (_, k) => `slot_${k}`) });
          if (r.status !== 201) fail(`POST /templates HTTP ${r.status}: ${JSON.stringify(r.body).slice(0, 200)}`);
          else {
            ledger.templates.set(r.body.template_id, { slots, by: String(r.headers['x-stp-instance']) });
            ledger.writes++;
          }
        } else {
          const lines = LINES.slice(0, 2 + (i % 4)).map((l) => `${l} ${i}`);
          const r = await call(base, 'POST', '/api/v1/texts', { title: `live ${i}`, content: lines.join('\n') });
          if (r.status !== 201 && r.status !== 200) fail(`POST /texts HTTP ${r.status}: ${JSON.stringify(r.body).slice(0, 200)}`);
          else {
            ledger.texts.set(r.body.id, { chunks: Number(r.body.chunk_count ?? lines.length), by: String(r.headers['x-stp-instance']) });
            ledger.writes++;
          }
        }
      } catch (err) {
        fail(`write: ${(err as Error).message}`);
      }
      const wait = gap - (Date.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  })();
  return {
    ledger,
    async stop(): Promise<WriteLedger> {
      stopped = true;
      await loop;
      return ledger;
    },
  };
}

/**
 * Reads every acknowledged write back through `base`: each owned text with all its chunks, each
 * deleted text gone, each template listed with its slots. Returns what is missing or wrong.
 */
export async function auditWrites(base: string, ledger: WriteLedger): Promise<string[]> {
  const problems: string[] = [];
  for (const [id, t] of ledger.texts) {
    const r = await call(base, 'GET', `/api/v1/texts/${id}`);
    if (r.status !== 200) problems.push(`text ${id} (written via ${t.by}): HTTP ${r.status}`);
    else if ((r.body.chunks?.length ?? 0) !== t.chunks) problems.push(`text ${id} (written via ${t.by}): ${r.body.chunks?.length ?? 0} chunks, expected ${t.chunks}`);
  }
  for (const id of ledger.deleted) {
    const r = await call(base, 'GET', `/api/v1/texts/${id}`);
    if (r.status !== 404) problems.push(`deleted text ${id} is back (HTTP ${r.status})`);
  }
  const list = await call(base, 'GET', '/api/v1/templates');
  const listed = new Map<string, number>((list.body?.templates ?? []).map((t: { template_id: string; slots: unknown[] }) => [t.template_id, t.slots.length]));
  for (const [id, t] of ledger.templates) {
    if (!listed.has(id)) problems.push(`template ${id} (written via ${t.by}) is missing`);
    else if (listed.get(id) !== t.slots) problems.push(`template ${id}: ${listed.get(id)} slots, expected ${t.slots}`);
  }
  return problems;
}
