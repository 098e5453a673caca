"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createSmokeSteps = createSmokeSteps;
const context_1 = require("./context");
const errors_1 = require("./errors");
const http_1 = require("./http");
/**
 * The runbook's post_migration_tests.sh against green directly (before any traffic reaches it):
 * create a text, read its chunks, search, create a template, list it; then delete what it created,
 * the template's own text included (a template is stored with a text; deleting it removes both).
 * Fails with SmokeTestError naming the failed check; cleans up either way.
 */
async function runSmoke(base) {
    const result = { passed: [], warnings: [], cleanedUp: [] };
    const created = [];
    const check = (name, ok, detail) => {
        if (!ok)
            throw new errors_1.SmokeTestError(`smoke test "${name}" failed against ${base}: ${detail}`, name);
        result.passed.push(name);
        (0, context_1.heartbeat)({ check: name });
    };
    try {
        const text = await (0, http_1.requestJson)(`${base}/texts`, 'POST', { content: 'Test migration content', title: 'Migration Test' });
        check('create text', text.status === 201 && typeof text.body?.id === 'string', (0, http_1.brief)(text));
        created.push(text.body.id);
        const got = await (0, http_1.requestJson)(`${base}/texts/${text.body.id}`, 'GET');
        check('text has chunks', got.status === 200 && Array.isArray(got.body?.chunks) && got.body.chunks.length > 0, (0, http_1.brief)(got));
        const search = await (0, http_1.requestJson)(`${base}/search/semantic`, 'POST', { query: 'migration', limit: 5 });
        check('search', search.status === 200 && Array.isArray(search.body?.results), (0, http_1.brief)(search));
        if (search.body.results.length === 0)
            result.warnings.push('no search results found');
        const tpl = await (0, http_1.requestJson)(`${base}/templates`, 'POST', { template_name: 'Test Template', slot_names: ['test_slot'] });
        check('create template', tpl.status === 201 && typeof tpl.body?.template_id === 'string', (0, http_1.brief)(tpl));
        if (typeof tpl.body?.text_id === 'string')
            created.push(tpl.body.text_id);
        const list = await (0, http_1.requestJson)(`${base}/templates`, 'GET');
        const listed = Array.isArray(list.body?.templates) && list.body.templates.some((t) => t.template_id === tpl.body.template_id);
        check('list templates', list.status === 200 && Array.isArray(list.body?.templates), (0, http_1.brief)(list));
        if (!listed)
            result.warnings.push('the new template is not in GET /templates (more than 1000 templates, or a stale cache)');
    }
    finally {
        const problems = [];
        for (const id of created) {
            const del = await (0, http_1.requestJson)(`${base}/texts/${id}`, 'DELETE').catch((e) => ({ status: 0, body: e.message }));
            if (del.status === 200 || del.status === 404)
                result.cleanedUp.push(id);
            else
                problems.push(`DELETE /texts/${id}: HTTP ${del.status} ${JSON.stringify(del.body).slice(0, 100)}`);
        }
        if (problems.length > 0)
            result.warnings.push(`cleanup incomplete: ${problems.join('; ')}`);
    }
    return result;
}
function createSmokeSteps(deps) {
    return {
        /** Runs against green's own port; `plan.release.smoke.enabled: false` skips it. */
        async smokeTests({ plan }) {
            const ctx = (0, context_1.releaseContext)(deps, plan);
            if (!ctx.release.smoke.enabled)
                return { skipped: true, passed: [], warnings: [], cleanedUp: [] };
            return { skipped: false, ...(await runSmoke((0, http_1.apiBase)(ctx.release.deployer.green.port))) };
        },
        /**
         * The runbook's cache_warming.sh against green before the switch: the configured searches and
         * GET /templates, then the cache size. Read-only for the data, so a retry is harmless.
         */
        async warmCache({ plan }) {
            const ctx = (0, context_1.releaseContext)(deps, plan);
            const base = (0, http_1.apiBase)(ctx.release.deployer.green.port);
            const failures = [];
            for (const query of ctx.release.cacheWarming.queries) {
                const r = await (0, http_1.requestJson)(`${base}/search/semantic`, 'POST', { query, limit: 10 });
                if (r.status !== 200)
                    failures.push(`search ${JSON.stringify(query)}: ${(0, http_1.brief)(r)}`);
                (0, context_1.heartbeat)({ query });
            }
            const t = await (0, http_1.requestJson)(`${base}/templates`, 'GET');
            if (t.status !== 200)
                failures.push(`templates: ${(0, http_1.brief)(t)}`);
            const stats = await (0, http_1.requestJson)(`${base}/cache/stats`, 'GET');
            const size = typeof stats.body?.size === 'number' ? stats.body.size : null;
            return { queries: ctx.release.cacheWarming.queries.length, cacheSize: size, failures };
        },
    };
}
//# sourceMappingURL=smoke.js.map