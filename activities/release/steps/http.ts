import http from 'node:http';

export interface JsonAnswer {
  status: number;
  body: any;
  instance?: string;
}

/** One JSON request on its own connection (no keep-alive across an instance that may stop). */
export function requestJson(url: string, method: string, body?: unknown, timeoutMs = 10_000): Promise<JsonAnswer> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(url, {
      method, agent: false, timeout: timeoutMs,
      headers: { connection: 'close', accept: 'application/json',
        ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('error', reject);
      res.on('end', () => {
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          /* keep the text for the error message */
        }
        const inst = res.headers['x-stp-instance'];
        resolve({ status: res.statusCode ?? 0, body: parsed, instance: Array.isArray(inst) ? inst[0] : inst });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer to ${method} ${url} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(data);
  });
}

/** `http://127.0.0.1:PORT/api/v1` of an instance. */
export function apiBase(port: number, host = '127.0.0.1'): string {
  return `http://${host}:${port}/api/v1`;
}

export function brief(a: JsonAnswer): string {
  return `HTTP ${a.status} ${JSON.stringify(a.body).slice(0, 200)}`;
}
