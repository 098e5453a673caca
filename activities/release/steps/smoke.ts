import type { StepInput } from '../../../common/steps';
import { heartbeat, releaseContext, type ReleaseDeps } from './context';
import { SmokeTestError } from './errors';
import { apiBase, brief, requestJson } from './http';

export interface SmokeResult {
  /** Checks passed, in order. */
  passed: string[];
  warnings: string[];
  cleanedUp: string[];
}

/**
 * The runbook's post_migration_tests.sh against green directly (before any traffic reaches it):
 * create a text, read its chunks, search, create a template, list it; then delete what it created,
 * the template's own text included (a template is stored with a text; deleting it removes both).
 * Fails with SmokeTestError naming the failed check; cleans up either way.
 */
async function runSmoke(base: string): Promise<SmokeResult> {
  const result: SmokeResult = { passed: [], warnings: [], cleanedUp: [] };
  const created: string[] = [];
  const check = (name: string, ok: boolean, detail: string) => {
    if (!ok) throw new SmokeTestError(`smoke test "${name}" failed against ${base}: ${detail}`, name);
    result.passed.push(name);
    heartbeat({ check: name });
  };
  try {
    const text = await requestJson(`${base}/texts`, 'POST', { content: 'Test migration content', title: 'Migration Test' });
    check('create text', text.status === 201 && typeof text.body?.id === 'string', brief(text));
    created.push(text.body.id);
    const got = await requestJson(`${base}/texts/${text.body.id}`, 'GET');
    check('text has chunks', got.status === 200 && Array.isArray(got.body?.chunks) && got.body.chunks.length > 0, brief(got));
    const search = await requestJson(`${base}/search/semantic`, 'POST', { query: 'migration', limit: 5 });
    check('search', search.status === 200 && Array.isArray(search.body?.results), brief(search));
    if (search.body.results.length === 0) result.warnings.push('no search results found');
    const tpl = await requestJson(`${base}/templates`, 'POST', { template_name: 'Test Template', slot_names: ['test_slot'] });
    check('create template', tpl.status === 201 && typeof tpl.body?.template_id === 'string', brief(tpl));
    if (typeof tpl.body?.text_id === 'string') created.push(tpl.body.text_id);
    const list = await requestJson(`${base}/templates`, 'GET');
    const listed = Array.isArray(list.body?.templates) && list.body.templates.some((t: { template_id?: string }) => t.template_id === tpl.body.template_id);
    check('list templates', list.status === 200 && Array.isArray(list.body?.templates), brief(list));
    if (!listed) result.warnings.push('the new template is not in GET /templates (more than 1000 templates, or a stale cache)');
  } finally {
    const problems: string[] = [];
    for (const id of created) {
      const del = await requestJson(`${base}/texts/${id}`, 'DELETE').catch((e: Error) => ({ status: 0, body: e.message }));
      if (del.status === 200 || del.status === 404) result.cleanedUp.push(id);
      else problems.push(`DELETE /texts/${id}: HTTP ${del.status} ${JSON.stringify(del.body).slice(0, 100)}`);
    }
    if (problems.length > 0) result.warnings.push(`cleanup incomplete: ${problems.join('; ')}`);
  }
  return result;
}

export function createSmokeSteps(deps: ReleaseDeps) {
  return {
    /** Runs against green's own port; `plan.release.smoke.enabled: false` skips it. */
    async smokeTests({ plan }: StepInput): Promise<SmokeResult & { skipped: boolean }> {
      const ctx = releaseContext(deps, plan);
      if (!ctx.release.smoke.enabled) return { skipped: true, passed: [], warnings: [], cleanedUp: [] };
      return { skipped: false, ...(await runSmoke(apiBase(ctx.release.deployer.green.port))) };
    },

    /**
     * The runbook's cache_warming.sh against green before the switch: the configured searches and
     * GET /templates, then the cache size. Read-only for the data, so a retry is harmless.
     */
    async warmCache({ plan }: StepInput): Promise<{ queries: number; cacheSize: number | null; failures: string[] }> {
      const ctx = releaseContext(deps, plan);
      const base = apiBase(ctx.release.deployer.green.port);
      const failures: string[] = [];
      for (const query of ctx.release.cacheWarming.queries) {
        const r = await requestJson(`${base}/search/semantic`, 'POST', { query, limit: 10 });
        if (r.status !== 200) failures.push(`search ${JSON.stringify(query)}: ${brief(r)}`);
        heartbeat({ query });
      }
      const t = await requestJson(`${base}/templates`, 'GET');
      if (t.status !== 200) failures.push(`templates: ${brief(t)}`);
      const stats = await requestJson(`${base}/cache/stats`, 'GET');
      const size = typeof stats.body?.size === 'number' ? stats.body.size : null;
      return { queries: ctx.release.cacheWarming.queries.length, cacheSize: size, failures };
    },
  };
}
