import crypto from 'node:crypto';
import http from 'node:http';
import type net from 'node:net';
import type { Payload, PayloadCodec } from '@temporalio/common';

/** A payload as the Temporal UI and CLI send it to a codec server: proto3 JSON, bytes in base64. */
interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

export interface CodecServerOptions {
  codec: PayloadCodec;
  host: string;
  port: number;
  /** Origins allowed by CORS (the Web UI's, e.g. http://localhost:8233). */
  origins: string[];
  /** When set, every /encode and /decode call must carry `Authorization: Bearer <token>`. */
  token?: string;
}

export interface RunningCodecServer {
  url: string;
  close(): Promise<void>;
}

const MAX_BODY = 16 * 1024 * 1024;

/**
 * The remote codec endpoint of the Temporal Web UI and `temporal --codec-endpoint`: POST /decode
 * and /encode with `{ payloads: [...] }`. CORS answers only the configured origins; the bearer
 * token is compared in constant time. Never logs a payload.
 */
export async function startCodecServer(opts: CodecServerOptions): Promise<RunningCodecServer> {
  const server = http.createServer((req, res) => {
    handle(opts, req, res).catch((err: unknown) => send(res, 400, { message: (err as Error).message }));
  });
  const sockets = new Set<net.Socket>();
  server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function handle(opts: CodecServerOptions, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const origin = req.headers.origin;
  if (origin && opts.origins.includes(origin)) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization');
    res.setHeader('Vary', 'Origin');
  }
  if (req.method === 'OPTIONS') return send(res, 204);
  const route = (req.url ?? '').split('?')[0]!.replace(/\/+$/, '');
  if (req.method !== 'POST' || (route !== '/decode' && route !== '/encode')) return send(res, 404, { message: 'POST /decode or /encode' });
  if (opts.token && !bearerMatches(req.headers.authorization, opts.token)) return send(res, 401, { message: 'missing or wrong bearer token' });
  const body = JSON.parse(await readBody(req)) as { payloads?: JsonPayload[] };
  if (!Array.isArray(body.payloads)) return send(res, 400, { message: 'expected {"payloads": [...]}' });
  const payloads = body.payloads.map(fromJson);
  const out = route === '/decode' ? await opts.codec.decode(payloads) : await opts.codec.encode(payloads);
  send(res, 200, { payloads: out.map(toJson) });
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy(new Error('body too large'));
      else parts.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, body?: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

function fromJson(p: JsonPayload): Payload {
  const metadata: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {})) metadata[k] = Buffer.from(v, 'base64');
  return { metadata, data: Buffer.from(p.data ?? '', 'base64') };
}

function toJson(p: Payload): JsonPayload {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {})) if (v) metadata[k] = Buffer.from(v).toString('base64');
  return { metadata, data: Buffer.from(p.data ?? []).toString('base64') };
}
