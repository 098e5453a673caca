import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { parseChunks } from './chunking';
import type { ServiceConfig } from './config';
import { embed, toVectorLiteral } from './embedder';
import { HttpError, paging } from './http';
import type { LruCache } from './lru';
import type { RequestMetrics } from './metrics';
import type { ConsistencyCheck, Store } from './store';

/** Runtime state shared by the handlers; `degrade` is changed by POST /admin/degrade. */
export interface App {
  config: ServiceConfig;
  store: Store;
  cache: LruCache<unknown>;
  metrics: RequestMetrics;
  degrade: { slowMs: number; errorRate: number };
}

export interface Reply {
  status: number;
  body: unknown;
}

type Handler = (app: App, ctx: { url: URL; params: string[]; body: () => Promise<unknown> }) => Promise<Reply>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ok = (body: unknown, status = 200): Reply => ({ status, body });
const notFound = (what: string): Reply => ({ status: 404, body: { error: `${what} not found` } });

const TextInput = z.object({ title: z.string().nullish(), content: z.string() });
const SearchInput = z.object({ query: z.string().min(1), limit: z.number().int().min(1).max(100).default(10) });
const TemplateInput = z.object({ template_name: z.string().min(1), slot_names: z.array(z.string().min(1)).default([]) });
const DegradeInput = z.object({ slow_ms: z.number().min(0).max(600_000).optional(), error_rate: z.number().min(0).max(1).optional() });

async function health(app: App): Promise<Reply> {
  const schema_version = app.store.schemaVersion;
  try {
    await app.store.ping();
    return ok({ status: 'healthy', version: app.config.version, instance: app.config.instance,
      ...(app.config.appConfig ? { config: { file: app.config.appConfig.file, sha256: app.config.appConfig.sha256 } } : {}),
      components: { database: { status: 'healthy', schema_version } } });
  } catch (err) {
    return ok({ status: 'unhealthy', version: app.config.version, instance: app.config.instance,
      components: { database: { status: 'unhealthy', schema_version, error: (err as Error).message } } }, 503);
  }
}

async function createText(app: App, body: unknown): Promise<Reply> {
  const input = TextInput.parse(body);
  const parsed = parseChunks(input.content);
  if (!parsed.length) throw new HttpError(400, 'content: expected at least one non-blank line');
  const dim = await app.store.embeddingDimension();
  const chunks = parsed.map((c) => ({ ...c, vector: toVectorLiteral(embed(c.content, dim)) }));
  const id = randomUUID();
  await app.store.createText({ id, title: input.title ?? null, content: input.content, chunks, model: app.config.embeddingModel });
  app.cache.invalidate('search:');
  return ok({ id, chunk_count: chunks.length }, 201);
}

async function search(app: App, body: unknown): Promise<Reply> {
  const { query, limit } = SearchInput.parse(body);
  const key = `search:${limit}:${query}`;
  const cached = app.cache.get(key);
  if (cached) return ok(cached);
  const vector = toVectorLiteral(embed(query, await app.store.embeddingDimension()));
  const result = { results: await app.store.search(vector, limit) };
  app.cache.set(key, result);
  return ok(result);
}

async function createTemplate(app: App, body: unknown): Promise<Reply> {
  const input = TemplateInput.parse(body);
  const slots = input.slot_names.map((name) => ({ id: randomUUID(), name }));
  const templateId = randomUUID();
  const textId = randomUUID();
  await app.store.createTemplate({ templateId, textId, name: input.template_name, slots });
  app.cache.invalidate('templates');
  return ok({ template_id: templateId, text_id: textId, slot_ids: slots.map((s) => s.id) }, 201);
}

async function listTemplates(app: App): Promise<Reply> {
  const cached = app.cache.get('templates');
  if (cached) return ok(cached);
  const result = { templates: await app.store.listTemplates() };
  app.cache.set('templates', result);
  return ok(result);
}

function listing(key: 'texts' | 'chunks'): Handler {
  return async (app, { url }) => {
    const p = paging(url);
    const { rows, total } = await (key === 'texts' ? app.store.listTexts(p.limit, p.offset) : app.store.listChunks(p.limit, p.offset));
    return ok({ [key]: rows, pagination: { page: p.page, page_size: p.pageSize, total } });
  };
}

/** [method, path under /api/v1, handler]; path groups become params. */
export const ROUTES: [string, RegExp, Handler][] = [
  ['GET', /^\/health$/, (app) => health(app)],
  ['POST', /^\/texts$/, async (app, { body }) => createText(app, await body())],
  ['GET', /^\/texts$/, listing('texts')],
  ['GET', /^\/texts\/([^/]+)$/, async (app, { params }) => {
    const text = UUID.test(params[0]) ? await app.store.getText(params[0]) : null;
    return text ? ok(text) : notFound(`text ${params[0]}`);
  }],
  ['DELETE', /^\/texts\/([^/]+)$/, async (app, { params }) => {
    const deleted = UUID.test(params[0]) && (await app.store.deleteText(params[0]));
    if (deleted) app.cache.invalidate('');
    return deleted ? ok({ id: params[0], deleted: true }) : notFound(`text ${params[0]}`);
  }],
  ['GET', /^\/chunks$/, listing('chunks')],
  ['POST', /^\/search\/semantic$/, async (app, { body }) => search(app, await body())],
  ['POST', /^\/templates$/, async (app, { body }) => createTemplate(app, await body())],
  ['GET', /^\/templates$/, (app) => listTemplates(app)],
  ['GET', /^\/metrics$/, async (app) => ok(app.metrics.snapshot())],
  ['GET', /^\/cache\/stats$/, async (app) => ok(app.cache.stats())],
  ['GET', /^\/admin\/consistency\/(orphaned-chunks|invalid-templates|missing-embeddings)$/, async (app, { params }) =>
    ok({ check: params[0], count: await app.store.consistency(params[0] as ConsistencyCheck) })],
  ['POST', /^\/admin\/degrade$/, async (app, { body }) => {
    const input = DegradeInput.parse(await body());
    if (input.slow_ms !== undefined) app.degrade.slowMs = input.slow_ms;
    if (input.error_rate !== undefined) app.degrade.errorRate = input.error_rate;
    return ok({ slow_ms: app.degrade.slowMs, error_rate: app.degrade.errorRate });
  }],
];
