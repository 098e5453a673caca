import fs from 'node:fs';
import path from 'node:path';
import type { SwitchTarget } from './types';

/** Where a project-owned nginx keeps its files: all inside one state directory. */
export interface NginxLayout {
  conf: string;
  prefix: string;
  pidFile: string;
  upstreamFile: string;
  errorLog: string;
}

export function nginxLayout(stateDir: string): NginxLayout {
  const prefix = path.resolve(stateDir);
  return {
    conf: path.join(prefix, 'nginx.conf'),
    prefix,
    pidFile: path.join(prefix, 'nginx.pid'),
    upstreamFile: path.join(prefix, 'upstream.conf'),
    errorLog: path.join(prefix, 'error.log'),
  };
}

const MARK = '# stp-target ';

/** The upstream file the switch rewrites; its first line records the target for undo. */
export function renderUpstream(t: SwitchTarget): string {
  const { instance, port, version } = t;
  return `${MARK}${JSON.stringify({ instance, port, version, host: t.host })}\nupstream stp_backend { server ${t.host ?? '127.0.0.1'}:${port}; }\n`;
}

/** The target recorded in an upstream file, or its bare server line, or null. */
export function readUpstreamTarget(file: string): SwitchTarget | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const marked = text.split('\n').find((l) => l.startsWith(MARK));
  if (marked) return JSON.parse(marked.slice(MARK.length)) as SwitchTarget;
  const m = /server\s+([^:;\s]+):(\d+)/.exec(text);
  return m ? { instance: 'unknown', host: m[1], port: Number(m[2]) } : null;
}

/**
 * nginx.conf of the project-owned instance: loopback only, and settings chosen so that a reload
 * loses no request: no client keep-alive (a reload closes idle keep-alive connections, racing a
 * client that reuses one), no upstream keep-alive (the same race against a stopping backend),
 * and failed connects retried (`proxy_next_upstream`).
 */
export function renderNginxConf(l: NginxLayout, listenPort: number, modules: { tempPaths: string[] }): string {
  const temp = modules.tempPaths.map((m) => `  ${m}_temp_path ${path.join(l.prefix, 'temp', m)};`).join('\n');
  return `# written by stp-upgrade; project-owned nginx, loopback only
worker_processes 1;
pid ${l.pidFile};
error_log ${l.errorLog} warn;
events { worker_connections 1024; }
http {
  access_log ${path.join(l.prefix, 'access.log')};
${temp}
  keepalive_timeout 0;
  include ${l.upstreamFile};
  server {
    listen 127.0.0.1:${listenPort};
    location / {
      proxy_pass http://stp_backend;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_connect_timeout 2s;
      proxy_read_timeout 60s;
      proxy_next_upstream error timeout http_502 http_503;
      proxy_next_upstream_tries 3;
    }
  }
}
`;
}
