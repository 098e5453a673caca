"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.sleep = exports.HttpError = void 0;
exports.readJson = readJson;
exports.sendJson = sendJson;
exports.paging = paging;
class HttpError extends Error {
    status;
    constructor(status, message) {
        super(message);
        this.status = status;
        this.name = 'HttpError';
    }
}
exports.HttpError = HttpError;
const MAX_BODY = 1 << 20;
/** Reads and parses a JSON body (at most 1 MiB); an empty body is {}. */
async function readJson(req) {
    const parts = [];
    let size = 0;
    for await (const chunk of req) {
        size += chunk.length;
        if (size > MAX_BODY)
            throw new HttpError(413, 'request body larger than 1 MiB');
        parts.push(chunk);
    }
    const text = Buffer.concat(parts).toString('utf8').trim();
    if (!text)
        return {};
    try {
        return JSON.parse(text);
    }
    catch {
        throw new HttpError(400, 'request body is not valid JSON');
    }
}
function sendJson(res, status, body) {
    const data = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
    res.end(data);
}
/** page (1-based) and page_size (1..1000, default 20) from a query string. */
function paging(url) {
    const int = (key, fallback, max) => {
        const raw = url.searchParams.get(key);
        if (raw === null)
            return fallback;
        const n = Number(raw);
        if (!Number.isInteger(n) || n < 1 || n > max)
            throw new HttpError(400, `${key}: expected an integer from 1 to ${max}, got ${JSON.stringify(raw)}`);
        return n;
    };
    const page = int('page', 1, 1_000_000);
    const pageSize = int('page_size', 20, 1000);
    return { page, pageSize, limit: pageSize, offset: (page - 1) * pageSize };
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
exports.sleep = sleep;
//# sourceMappingURL=http.js.map