import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PreconditionError } from '../../common/errors';
import { parsePlan, type Plan, type PlanInput } from '../../common/plan';
import { createPreflightActivities } from '../../activities/preflight';
import { createTestDatabase } from '../helpers/pg';
import { insertClean, legacyDdl } from './defects-fixture';

function planFor(input: PlanInput): Plan {
  const r = parsePlan(input);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.plan;
}

const refusal = (re: RegExp) => (err: unknown) => err instanceof PreconditionError && re.test(err.message);

/** Preflight reads every legacy column the rules read (name and type) and the embeddings' dimensions. */
describe('preflight: legacy columns and embedding dimensions', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const pools = { get: () => db.pool };
  const preflight = (schema: string, extra: PlanInput = {}) =>
    createPreflightActivities({ pools }).preflight({ runId: `run-${schema}`, plan: planFor({ schema, graph: { optional: true }, steps: ['preflight', 'schema', 'copy', 'embeddings', 'verify'], ...extra }) });

  before(async () => {
    db = await createTestDatabase('legacy_columns', { extensions: ['vector'] });
    for (const s of ['good', 'nocol', 'badtype', 'mixed', 'untyped', 'extra']) {
      await db.pool.query(legacyDdl(s, s === 'mixed' || s === 'untyped' ? 'vector' : 'vector(3)'));
      await insertClean(db.pool, s);
    }
    await db.pool.query('alter table nocol.chunks_legacy drop column indent_level');
    await db.pool.query('alter table badtype.chunks_legacy alter column sequence_number type text');
    await db.pool.query(`insert into mixed.embeddings_legacy (id, chunk_id, vector, model_name)
                         select gen_random_uuid(), chunk_id, '[1,2,3,4]', 'other' from mixed.embeddings_legacy limit 1`);
    await db.pool.query('alter table extra.chunks_legacy add column legacy_flag boolean');
  });
  after(async () => db?.drop());

  test('a complete legacy schema passes, without warnings', async () => {
    const r = await preflight('good');
    assert.deepEqual(r.assessment.warnings.filter((w) => /does not read/.test(w)), []);
  });

  test('a missing column is named with its table, plan field and fix', async () => {
    await assert.rejects(preflight('nocol'), refusal(/legacy column nocol\.chunks_legacy \(plan\.legacy\.chunks\)\.indent_level is missing \(expected integer\): add it/));
  });

  test('a column of the wrong type is named with the type found', async () => {
    await assert.rejects(preflight('badtype'), refusal(/badtype\.chunks_legacy \(plan\.legacy\.chunks\)\.sequence_number is of type text, expected integer/));
  });

  test('mixed embedding dimensions are refused with the count of each', async () => {
    await assert.rejects(preflight('mixed'), refusal(/mixed\.embeddings_legacy\.vector holds vectors of 2 dimensions \(3: \d+ rows, 4: 1 rows\)/));
  });

  test('an untyped vector column is refused for an index, accepted without one', async () => {
    await assert.rejects(preflight('untyped'), refusal(/untyped\.embeddings_legacy\.vector has no declared dimension.*vector\(3\).*index\.kind: none/));
    await preflight('untyped', { embeddings: { index: { kind: 'none' } } });
  });

  test('an extra legacy column is said: it is not migrated', async () => {
    const r = await preflight('extra');
    assert.ok(r.assessment.warnings.some((w) => /extra\.chunks_legacy \(plan\.legacy\.chunks\) has column\(s\) the upgrade does not read and does not migrate: legacy_flag/.test(w)), r.assessment.warnings.join('\n'));
  });
});
