import crypto from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import type { Client } from '@temporalio/client';
import { type Answer, migrationStatus, pickRun, resumeMigration } from './migration';

export interface AdminServerOptions {
  client: Client;
  /** Where the open run is looked for when a request names none. */
  taskQueue: string;
  host: string;
  port: number;
  /** Required on every request when set (`Authorization: Bearer <token>`). */
  token?: string;
  /** The run the endpoints act on when a request names none. */
  run?: string;
  log?: (line: string) => void;
}

const MAX_BODY = 64 * 1024;

/** 127.0.0.0/8, ::1 and localhost: the only addresses served without a token. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (net.isIPv4(host)) return host.startsWith('127.');
  return host === '::1' || host === '::ffff:127.0.0.1';
}

function authorized(req: http.IncomingMessage, token: string | undefined): boolean {
  if (!token) return true;
  const got = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
  const a = crypto.createHash('sha256').update(got).digest();
  const b = crypto.createHash('sha256').update(token).digest();
  return crypto.timingSafeEqual(a, b);
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw Object.assign(new Error(`body larger than ${MAX_BODY} bytes`), { status: 413 });
    chunks.push(c as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw Object.assign(new Error('body: expected JSON, e.g. {"checkpoint": "chunks_migration", "batch_size": 500}'), { status: 400 });
  }
}

async function route(opts: AdminServerOptions, req: http.IncomingMessage): Promise<Answer> {
  const url = new URL(req.url ?? '/', 'http://admin');
  const endpoints: Record<string, string> = { '/admin/migration/status': 'GET', '/admin/migration/resume': 'POST' };
  const method = endpoints[url.pathname];
  if (!method) return { status: 404, body: { error: `no endpoint ${url.pathname}; there are GET /admin/migration/status and POST /admin/migration/resume` } };
  if (req.method !== method) return { status: 405, body: { error: `${url.pathname} takes ${method}` } };
  if (!authorized(req, opts.token)) return { status: 401, body: { error: 'missing or wrong bearer token (Authorization: Bearer $STP_SERVE_TOKEN)' } };
  const body = method === 'POST' ? await readJson(req) : undefined;
  const run = await pickRun(opts.client, opts.taskQueue, url.searchParams.get('run'), opts.run);
  if (typeof run !== 'string') return run;
  return method === 'GET' ? migrationStatus(opts.client, run) : resumeMigration(opts.client, run, body);
}

/**
 * The recovery endpoints of partial_recovery.sh over HTTP, answered from the saga's own queries
 * and signals (no state of their own). Resolves once listening; `close` stops it.
 */
export async function startAdminServer(opts: AdminServerOptions): Promise<{ url: string; port: number; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    route(opts, req)
      .catch((err: unknown): Answer => ({ status: (err as { status?: number }).status ?? 502, body: { error: (err as Error).message } }))
      .then((a) => {
        opts.log?.(`${req.method} ${req.url} ${a.status}`);
        const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json', 'cache-control': 'no-store' };
        if (a.status === 401) headers['www-authenticate'] = 'Bearer';
        res.writeHead(a.status, headers).end(JSON.stringify(a.body) + '\n');
      })
      .catch(() => res.destroy());
  });
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
