"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.nginxLayout = nginxLayout;
exports.renderUpstream = renderUpstream;
exports.readUpstreamTarget = readUpstreamTarget;
exports.renderNginxConf = renderNginxConf;
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
function nginxLayout(stateDir) {
    const prefix = node_path_1.default.resolve(stateDir);
    return {
        conf: node_path_1.default.join(prefix, 'nginx.conf'),
        prefix,
        pidFile: node_path_1.default.join(prefix, 'nginx.pid'),
        upstreamFile: node_path_1.default.join(prefix, 'upstream.conf'),
        errorLog: node_path_1.default.join(prefix, 'error.log'),
    };
}
const MARK = '# stp-target ';
/** The upstream file the switch rewrites; its first line records the target for undo. */
function renderUpstream(t) {
    const { instance, port, version } = t;
    return `${MARK}${JSON.stringify({ instance, port, version, host: t.host })}\nupstream stp_backend { server ${t.host ?? '127.0.0.1'}:${port}; }\n`;
}
/** The target recorded in an upstream file, or its bare server line, or null. */
function readUpstreamTarget(file) {
    let text;
    try {
        text = node_fs_1.default.readFileSync(file, 'utf8');
    }
    catch {
        return null;
    }
    const marked = text.split('\n').find((l) => l.startsWith(MARK));
    if (marked)
        return JSON.parse(marked.slice(MARK.length));
    const m = /server\s+([^:;\s]+):(\d+)/.exec(text);
    return m ? { instance: 'unknown', host: m[1], port: Number(m[2]) } : null;
}
/**
 * nginx.conf of the project-owned instance: loopback only, and settings chosen so that a reload
 * loses no request: no client keep-alive (a reload closes idle keep-alive connections, racing a
 * client that reuses one), no upstream keep-alive (the same race against a stopping backend),
 * and failed connects retried (`proxy_next_upstream`).
 */
function renderNginxConf(l, listenPort, modules) {
    const temp = modules.tempPaths.map((m) => `  ${m}_temp_path ${node_path_1.default.join(l.prefix, 'temp', m)};`).join('\n');
    return `# written by stp-upgrade; project-owned nginx, loopback only
worker_processes 1;
pid ${l.pidFile};
error_log ${l.errorLog} warn;
events { worker_connections 1024; }
http {
  access_log ${node_path_1.default.join(l.prefix, 'access.log')};
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
//# sourceMappingURL=nginx-files.js.map