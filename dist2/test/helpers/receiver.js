"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.startReceiver = startReceiver;
const node_http_1 = __importDefault(require("node:http"));
/**
 * A real HTTP receiver on a free loopback port (webhooks, alerts). `failFirst` answers that many
 * requests per path with 500 before answering 200.
 */
async function startReceiver(opts = {}) {
    const got = [];
    const seen = new Map();
    const server = node_http_1.default.createServer((req, res) => {
        const chunks = [];
        req.on('data', (c) => chunks.push(c));
        req.on('end', () => {
            const path = req.url ?? '/';
            const n = (seen.get(path) ?? 0) + 1;
            seen.set(path, n);
            const text = Buffer.concat(chunks).toString('utf8');
            let body = text;
            try {
                body = JSON.parse(text);
            }
            catch {
                // kept as text
            }
            const status = opts.status?.(path) ?? (n <= (opts.failFirst ?? 0) ? 500 : 200);
            if (status < 300)
                got.push({ path, headers: req.headers, body });
            res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'fail');
        });
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = server.address().port;
    return {
        url: `http://127.0.0.1:${port}`,
        got,
        /** Requests per path, successful or not. */
        attempts: (path) => seen.get(path) ?? 0,
        close: () => new Promise((resolve) => server.close(() => resolve())),
    };
}
//# sourceMappingURL=receiver.js.map