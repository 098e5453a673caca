import type { IncomingMessage, ServerResponse } from 'node:http';

export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'HttpError';
  }
}

const MAX_BODY = 1 << 20;

/** Reads and parses a JSON body (at most 1 MiB); an empty body is {}. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, 'request body larger than 1 MiB');
    parts.push(chunk as Buffer);
  }
  const text = Buffer.concat(parts).toString('utf8').trim();
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'request body is not valid JSON');
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}

/** page (1-based) and page_size (1..1000, default 20) from a query string. */
export function paging(url: URL): { page: number; pageSize: number; limit: number; offset: number } {
  const int = (key: string, fallback: number, max: number) => {
    const raw = url.searchParams.get(key);
    if (raw === null) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new HttpError(400, `${key}: expected an integer from 1 to ${max}, got ${JSON.stringify(raw)}`);
    return n;
  };
  const page = int('page', 1, 1_000_000);
  const pageSize = int('page_size', 20, 1000);
  return { page, pageSize, limit: pageSize, offset: (page - 1) * pageSize };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
