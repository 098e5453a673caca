import http from 'node:http';

/** One request a receiver got. */
export interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

/**
 * A real HTTP receiver on a free loopback port (webhooks, alerts). `failFirst` answers that many
 * requests per path with 500 before answering 200.
 */
export async function startReceiver(opts: { failFirst?: number; status?: (path: string) => number | undefined } = {}) {
  const got: Received[] = [];
  const seen = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const n = (seen.get(path) ?? 0) + 1;
      seen.set(path, n);
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // kept as text
      }
      const status = opts.status?.(path) ?? (n <= (opts.failFirst ?? 0) ? 500 : 200);
      if (status < 300) got.push({ path, headers: req.headers, body });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'fail');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    got,
    /** Requests per path, successful or not. */
    attempts: (path: string) => seen.get(path) ?? 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
