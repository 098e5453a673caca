"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.sleep = void 0;
exports.probe = probe;
const node_http_1 = __importDefault(require("node:http"));
/**
 * One GET on a fresh connection (no agent, `Connection: close`), so that a probe never reuses a
 * socket that a reload or a stopping server is about to close.
 */
function probe(url, timeoutMs = 2000) {
    return new Promise((resolve, reject) => {
        const req = node_http_1.default.get(url, { agent: false, headers: { connection: 'close' }, timeout: timeoutMs }, (res) => {
            let data = '';
            res.setEncoding('utf8');
            res.on('data', (d) => (data += d));
            res.on('error', reject);
            res.on('end', () => {
                let body = data;
                try {
                    body = JSON.parse(data);
                }
                catch {
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
function header(v) {
    return Array.isArray(v) ? v[0] : v;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
exports.sleep = sleep;
//# sourceMappingURL=http-probe.js.map