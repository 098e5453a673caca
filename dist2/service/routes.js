"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ROUTES = void 0;
const node_crypto_1 = require("node:crypto");
const zod_1 = require("zod");
const chunking_1 = require("./chunking");
const embedder_1 = require("./embedder");
const http_1 = require("./http");
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ok = (body, status = 200) => ({ status, body });
const notFound = (what) => ({ status: 404, body: { error: `${what} not found` } });
const TextInput = zod_1.z.object({ title: zod_1.z.string().nullish(), content: zod_1.z.string() });
const SearchInput = zod_1.z.object({ query: zod_1.z.string().min(1), limit: zod_1.z.number().int().min(1).max(100).default(10) });
const TemplateInput = zod_1.z.object({ template_name: zod_1.z.string().min(1), slot_names: zod_1.z.array(zod_1.z.string().min(1)).default([]) });
const DegradeInput = zod_1.z.object({ slow_ms: zod_1.z.number().min(0).max(600_000).optional(), error_rate: zod_1.z.number().min(0).max(1).optional() });
async function health(app) {
    const schema_version = app.store.schemaVersion;
    try {
        await app.store.ping();
        return ok({ status: 'healthy', version: app.config.version, instance: app.config.instance,
            ...(app.config.appConfig ? { config: { file: app.config.appConfig.file, sha256: app.config.appConfig.sha256 } } : {}),
            components: { database: { status: 'healthy', schema_version } } });
    }
    catch (err) {
        return ok({ status: 'unhealthy', version: app.config.version, instance: app.config.instance,
            components: { database: { status: 'unhealthy', schema_version, error: err.message } } }, 503);
    }
}
async function createText(app, body) {
    const input = TextInput.parse(body);
    const parsed = (0, chunking_1.parseChunks)(input.content);
    if (!parsed.length)
        throw new http_1.HttpError(400, 'content: expected at least one non-blank line');
    const dim = await app.store.embeddingDimension();
    const chunks = parsed.map((c) => ({ ...c, vector: (0, embedder_1.toVectorLiteral)((0, embedder_1.embed)(c.content, dim)) }));
    const id = (0, node_crypto_1.randomUUID)();
    await app.store.createText({ id, title: input.title ?? null, content: input.content, chunks, model: app.config.embeddingModel });
    app.cache.invalidate('search:');
    return ok({ id, chunk_count: chunks.length }, 201);
}
async function search(app, body) {
    const { query, limit } = SearchInput.parse(body);
    const key = `search:${limit}:${query}`;
    const cached = app.cache.get(key);
    if (cached)
        return ok(cached);
    const vector = (0, embedder_1.toVectorLiteral)((0, embedder_1.embed)(query, await app.store.embeddingDimension()));
    const result = { results: await app.store.search(vector, limit) };
    app.cache.set(key, result);
    return ok(result);
}
async function createTemplate(app, body) {
    const input = TemplateInput.parse(body);
    const slots = input.slot_names.map((name) => ({ id: (0, node_crypto_1.randomUUID)(), name }));
    const templateId = (0, node_crypto_1.randomUUID)();
    const textId = (0, node_crypto_1.randomUUID)();
    await app.store.createTemplate({ templateId, textId, name: input.template_name, slots });
    app.cache.invalidate('templates');
    return ok({ template_id: templateId, text_id: textId, slot_ids: slots.map((s) => s.id) }, 201);
}
async function listTemplates(app) {
    const cached = app.cache.get('templates');
    if (cached)
        return ok(cached);
    const result = { templates: await app.store.listTemplates() };
    app.cache.set('templates', result);
    return ok(result);
}
function listing(key) {
    return async (app, { url }) => {
        const p = (0, http_1.paging)(url);
        const { rows, total } = await (key === 'texts' ? app.store.listTexts(p.limit, p.offset) : app.store.listChunks(p.limit, p.offset));
        return ok({ [key]: rows, pagination: { page: p.page, page_size: p.pageSize, total } });
    };
}
/** [method, path under /api/v1, handler]; path groups become params. */
exports.ROUTES = [
    ['GET', /^\/health$/, (app) => health(app)],
    ['POST', /^\/texts$/, async (app, { body }) => createText(app, await body())],
    ['GET', /^\/texts$/, listing('texts')],
    ['GET', /^\/texts\/([^/]+)$/, async (app, { params }) => {
            const text = UUID.test(params[0]) ? await app.store.getText(params[0]) : null;
            return text ? ok(text) : notFound(`text ${params[0]}`);
        }],
    ['DELETE', /^\/texts\/([^/]+)$/, async (app, { params }) => {
            const deleted = UUID.test(params[0]) && (await app.store.deleteText(params[0]));
            if (deleted)
                app.cache.invalidate('');
            return deleted ? ok({ id: params[0], deleted: true }) : notFound(`text ${params[0]}`);
        }],
    ['GET', /^\/chunks$/, listing('chunks')],
    ['POST', /^\/search\/semantic$/, async (app, { body }) => search(app, await body())],
    ['POST', /^\/templates$/, async (app, { body }) => createTemplate(app, await body())],
    ['GET', /^\/templates$/, (app) => listTemplates(app)],
    ['GET', /^\/metrics$/, async (app) => ok(app.metrics.snapshot())],
    ['GET', /^\/cache\/stats$/, async (app) => ok(app.cache.stats())],
    ['GET', /^\/admin\/consistency\/(orphaned-chunks|invalid-templates|missing-embeddings)$/, async (app, { params }) => ok({ check: params[0], count: await app.store.consistency(params[0]) })],
    ['POST', /^\/admin\/degrade$/, async (app, { body }) => {
            const input = DegradeInput.parse(await body());
            if (input.slow_ms !== undefined)
                app.degrade.slowMs = input.slow_ms;
            if (input.error_rate !== undefined)
                app.degrade.errorRate = input.error_rate;
            return ok({ slow_ms: app.degrade.slowMs, error_rate: app.degrade.errorRate });
        }],
];
//# sourceMappingURL=routes.js.map