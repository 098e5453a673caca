"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.requestJson = requestJson;
exports.apiBase = apiBase;
exports.brief = brief;
const node_http_1 = __importDefault(require("node:http"));
/** One JSON request on its own connection (no keep-alive across an instance that may stop). */
function requestJson(url, method, body, timeoutMs = 10_000) {
    return new Promise((resolve, reject) => {
        const data = body === undefined ? undefined : JSON.stringify(body);
        const req = node_http_1.default.request(url, {
            method, agent: false, timeout: timeoutMs,
            headers: { connection: 'close', accept: 'application/json',
                ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}) },
        }, (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (d) => (text += d));
            res.on('error', reject);
            res.on('end', () => {
                let parsed = text;
                try {
                    parsed = JSON.parse(text);
                }
                catch {
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
function apiBase(port, host = '127.0.0.1') {
    return `http://${host}:${port}/api/v1`;
}
function brief(a) {
    return `HTTP ${a.status} ${JSON.stringify(a.body).slice(0, 200)}`;
}
//# sourceMappingURL=http.js.map