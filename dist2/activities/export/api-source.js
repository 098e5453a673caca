"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.exportFromApi = exportFromApi;
const http_1 = require("../release/steps/http");
/**
 * The API path: GET /texts and /chunks page by page until the reported total is reached (the
 * runbook stopped after the first page), GET /templates once (the service lists at most 1000).
 * Offset paging under concurrent writes can skip or repeat rows: prefer the database path.
 */
async function exportFromApi(baseUrl, kind, out, pageSize, beat) {
    const api = baseUrl.replace(/\/+$/, '').replace(/\/api\/v1$/, '') + '/api/v1';
    if (kind === 'templates') {
        const r = await (0, http_1.requestJson)(`${api}/templates`, 'GET', undefined, 60_000);
        if (r.status !== 200 || !Array.isArray(r.body?.templates))
            throw new Error(`GET ${api}/templates: HTTP ${r.status}`);
        await out.write(r.body.templates);
        return r.body.templates.length;
    }
    const size = Math.min(pageSize, 1000);
    let total = Infinity;
    for (let p = 1; out.count < total; p++) {
        const r = await (0, http_1.requestJson)(`${api}/${kind}?page=${p}&page_size=${size}`, 'GET', undefined, 60_000);
        const rows = r.body?.[kind];
        if (r.status !== 200 || !Array.isArray(rows))
            throw new Error(`GET ${api}/${kind} page ${p}: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
        total = Number(r.body.pagination?.total ?? 0);
        if (rows.length === 0)
            break;
        await out.write(rows);
        beat({ kind, page: p, rows: out.count, total });
    }
    return total;
}
//# sourceMappingURL=api-source.js.map