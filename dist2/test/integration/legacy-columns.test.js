"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const errors_1 = require("../../common/errors");
const plan_1 = require("../../common/plan");
const preflight_1 = require("../../activities/preflight");
const pg_1 = require("../helpers/pg");
const defects_fixture_1 = require("./defects-fixture");
function planFor(input) {
    const r = (0, plan_1.parsePlan)(input);
    if (!r.ok)
        throw new Error(r.errors.join('\n'));
    return r.plan;
}
const refusal = (re) => (err) => err instanceof errors_1.PreconditionError && re.test(err.message);
/** Preflight reads every legacy column the rules read (name and type) and the embeddings' dimensions. */
(0, node_test_1.describe)('preflight: legacy columns and embedding dimensions', () => {
    let db;
    const pools = { get: () => db.pool };
    const preflight = (schema, extra = {}) => (0, preflight_1.createPreflightActivities)({ pools }).preflight({ runId: `run-${schema}`, plan: planFor({ schema, graph: { optional: true }, steps: ['preflight', 'schema', 'copy', 'embeddings', 'verify'], ...extra }) });
    (0, node_test_1.before)(async () => {
        db = await (0, pg_1.createTestDatabase)('legacy_columns', { extensions: ['vector'] });
        for (const s of ['good', 'nocol', 'badtype', 'mixed', 'untyped', 'extra']) {
            await db.pool.query((0, defects_fixture_1.legacyDdl)(s, s === 'mixed' || s === 'untyped' ? 'vector' : 'vector(3)'));
            await (0, defects_fixture_1.insertClean)(db.pool, s);
        }
        await db.pool.query('alter table nocol.chunks_legacy drop column indent_level');
        await db.pool.query('alter table badtype.chunks_legacy alter column sequence_number type text');
        await db.pool.query(`insert into mixed.embeddings_legacy (id, chunk_id, vector, model_name)
                         select gen_random_uuid(), chunk_id, '[1,2,3,4]', 'other' from mixed.embeddings_legacy limit 1`);
        await db.pool.query('alter table extra.chunks_legacy add column legacy_flag boolean');
    });
    (0, node_test_1.after)(async () => db?.drop());
    (0, node_test_1.test)('a complete legacy schema passes, without warnings', async () => {
        const r = await preflight('good');
        strict_1.default.deepEqual(r.assessment.warnings.filter((w) => /does not read/.test(w)), []);
    });
    (0, node_test_1.test)('a missing column is named with its table, plan field and fix', async () => {
        await strict_1.default.rejects(preflight('nocol'), refusal(/legacy column nocol\.chunks_legacy \(plan\.legacy\.chunks\)\.indent_level is missing \(expected integer\): add it/));
    });
    (0, node_test_1.test)('a column of the wrong type is named with the type found', async () => {
        await strict_1.default.rejects(preflight('badtype'), refusal(/badtype\.chunks_legacy \(plan\.legacy\.chunks\)\.sequence_number is of type text, expected integer/));
    });
    (0, node_test_1.test)('mixed embedding dimensions are refused with the count of each', async () => {
        await strict_1.default.rejects(preflight('mixed'), refusal(/mixed\.embeddings_legacy\.vector holds vectors of 2 dimensions \(3: \d+ rows, 4: 1 rows\)/));
    });
    (0, node_test_1.test)('an untyped vector column is refused for an index, accepted without one', async () => {
        await strict_1.default.rejects(preflight('untyped'), refusal(/untyped\.embeddings_legacy\.vector has no declared dimension.*vector\(3\).*index\.kind: none/));
        await preflight('untyped', { embeddings: { index: { kind: 'none' } } });
    });
    (0, node_test_1.test)('an extra legacy column is said: it is not migrated', async () => {
        const r = await preflight('extra');
        strict_1.default.ok(r.assessment.warnings.some((w) => /extra\.chunks_legacy \(plan\.legacy\.chunks\) has column\(s\) the upgrade does not read and does not migrate: legacy_flag/.test(w)), r.assessment.warnings.join('\n'));
    });
});
//# sourceMappingURL=legacy-columns.test.js.map