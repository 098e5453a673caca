import http from 'node:http';

/** What one request saw: status, the serving instance/version headers, and the JSON body if any. */
export interface ProbeResult {
  status: number;
  instance?: string;
  version?: string;
  body: unknown;
}

/**
 * One GET on a fresh connection (no agent, `Connection: close`), so that a probe never reuses a
 * socket that a reload or a stopping server is about to close.
 */
export function probe(url: string, timeoutMs = 2000): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, headers: { connection: 'close' }, timeout: timeoutMs }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (data += d));
      res.on('error', reject);
      res.on('end', () => {
        let body: unknown = data;
        try {
          body = JSON.parse(data);
        } catch {
          /* not JSON: keep the text */
        }
        resolve({
          status: res.statusCode ?? 0,
          instance: header(res.headers['x-stp-instance']),
          version: header(res.headers['x-stp-version']),
          body,
        });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
