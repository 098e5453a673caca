"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_crypto_1 = require("node:crypto");
const node_test_1 = require("node:test");
const copy_1 = require("../../activities/copy");
const schema_1 = require("../../activities/schema");
const plan_1 = require("../../common/plan");
const steps_1 = require("../../common/steps");
const schema_2 = require("../../fixtures/schema");
const pg_1 = require("../helpers/pg");
/** Rules 1-5 on a hand-made legacy fixture, compared row by row with the contract (section 3). */
let db;
let copy;
const parsed = (0, plan_1.parsePlan)({ defects: { policy: 'quarantine' } });
if (!parsed.ok)
    throw new Error(parsed.errors.join('\n'));
const plan = parsed.plan;
const T1 = '11111111-0000-0000-0000-000000000001';
const T2 = '22222222-0000-0000-0000-000000000002';
const CA = 'a0000000-0000-0000-0000-00000000000a'; // child of CB, sorts before it
const CB = 'b0000000-0000-0000-0000-00000000000b';
const CC = 'cc000000-0000-0000-0000-00000000000c'; // other text, NULL indent/sequence, tagged once
const CD = 'dd000000-0000-0000-0000-00000000000d';
const CE = 'ee000000-0000-0000-0000-00000000000e';
const P1 = 'f1000000-0000-0000-0000-000000000001';
const P2 = 'f2000000-0000-0000-0000-000000000002';
const S0 = 'e0000000-0000-0000-0000-000000000000'; // no instance
const S1 = 'e1000000-0000-0000-0000-000000000001'; // one instance
const S3 = 'e3000000-0000-0000-0000-000000000003'; // three, two tied on updated_at
const SN = 'e4000000-0000-0000-0000-000000000004'; // latest instance has a NULL value
const I = (n) => `90000000-0000-0000-0000-00000000000${n}`;
const CT = '2024-01-02 03:04:05.123456';
const UT = '2024-02-03 04:05:06.654321';
const AWKWARD = [' foo ', '$$', 'Foo', 'a"b', 'back\\slash', 'foo', "it's", '😀'];
const FIXTURE = `
insert into texts (id, title) values ('${T1}', 'one'), ('${T2}', 'two');
insert into chunks_legacy (id, text_id, content, parent_chunk_id, indent_level, sequence_number, created_at, updated_at) values
  ('${CA}', '${T1}', 'child ''quoted'' $$ \\ 😀', '${CB}', 1, 2, '${CT}+00', '${UT}+00'),
  ('${CB}', '${T1}', 'parent', null, 0, 1, '${CT}+00', '${UT}+00'),
  ('${CC}', '${T2}', 'other text', null, null, null, '${CT}+00', '${UT}+00'),
  ('${CD}', '${T1}', 'd', '${CB}', 1, 3, '${CT}+00', '${UT}+00'),
  ('${CE}', '${T1}', 'e', null, 0, 4, '${CT}+00', '${UT}+00');
insert into chunk_tags_legacy (chunk_id, tag_content, created_at) values
  ${AWKWARD.map((t) => `('${CA}', '${t.replace(/'/g, "''")}', '2024-03-02 00:00:00+00')`).join(',\n  ')},
  ('${CA}', 'foo', '2024-03-05 00:00:00+00'),
  ('${CB}', 'foo', '2024-02-28 23:59:59.999999+00'),
  ('${CB}', 'ß', '2024-03-03 00:00:00+00'),
  ('${CD}', 'foo', '2024-03-04 00:00:00+00'),
  ('${CC}', 'foo', '2024-03-06 00:00:00+00'),
  ('${CE}', 'ce-tag', '2024-03-07 00:00:00+00');
insert into templates_legacy (id, text_id, content, created_at, updated_at) values
  ('${P1}', '${T2}', 'Dear {name}', '${CT}+00', '${UT}+00'),
  ('${P2}', '${T1}', 'Second', '${CT}+00', '${UT}+00');
insert into template_slots_legacy (id, template_id, slot_name, slot_order, created_at, updated_at) values
  ('${S0}', '${P1}', 'nobody', 1, '${CT}+00', '${UT}+00'),
  ('${S1}', '${P1}', 'one', 2, '${CT}+00', '${UT}+00'),
  ('${S3}', '${P1}', 'three', 3, '${CT}+00', '${UT}+00'),
  ('${SN}', '${P1}', 'nullval', null, '${CT}+00', '${UT}+00');
insert into template_slot_instances_legacy (id, slot_id, slot_value, created_at, updated_at) values
  ('${I(1)}', '${S1}', 'x', now(), '2024-05-01 10:00:00+00'),
  ('${I(2)}', '${S3}', 'first', now(), '2024-05-01 10:00:00.5+00'),
  ('${I(4)}', '${S3}', 'tied-lower-id', now(), '2024-05-02 00:00:00+00'),
  ('${I(5)}', '${S3}', 'winner', now(), '2024-05-02 00:00:00+00'),
  ('${I(6)}', '${SN}', 'old', now(), '2024-05-01 00:00:00+00'),
  ('${I(7)}', '${SN}', null, now(), '2024-05-03 00:00:00+00');
`;
function tagId(textId, content) {
    const h = (0, node_crypto_1.createHash)('md5').update(`stp-tag:${textId}:${content}`, 'utf8').digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
const byCodePoint = (a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
async function targetRows() {
    const { rows } = await db.pool.query(`select id, text_id, content, is_template, is_slot, parent_chunk_id, template_chunk_id, slot_value, indent_level,
            sequence_number, metadata,
            to_char(created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') as created_at,
            to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') as updated_at
       from chunks_unified order by id`);
    return new Map(rows.map((r) => [r.id, r]));
}
const base = { is_template: false, is_slot: false, template_chunk_id: null, slot_value: null, created_at: `${CT}`, updated_at: `${UT}` };
const ts = (s) => s.replace(/(\.\d+)?$/, (m) => (m ? m.padEnd(7, '0') : '.000000'));
function chunkRow(id, text, content, parent, indent, seq, tags) {
    return { ...base, id, text_id: text, content, parent_chunk_id: parent, indent_level: indent, sequence_number: seq, metadata: tags ? { tags } : {}, created_at: ts(CT), updated_at: ts(UT) };
}
function tagRow(text, content, ids, created) {
    const at = ts(created);
    return {
        ...base, id: tagId(text, content), text_id: text, content, parent_chunk_id: null, indent_level: 0, sequence_number: 0,
        metadata: { type: 'tag', original_chunk_ids: [...ids].sort() }, created_at: at, updated_at: at,
    };
}
function slotRow(id, name, order, value, instances) {
    return {
        ...base, id, text_id: T2, content: name, is_slot: true, parent_chunk_id: P1, template_chunk_id: P1, slot_value: value,
        indent_level: 1, sequence_number: order, created_at: ts(CT), updated_at: ts(UT),
        metadata: instances ? { slot_instances: instances.map(([i, v, u]) => ({ id: i, slot_value: v, updated_at: u })) } : {},
    };
}
async function runAll(runId, batchSize) {
    for (const rule of steps_1.COPY_RULES.slice(0, 4)) {
        for (let i = 0; i < 100; i++) {
            const r = await copy.copySlice({ runId, plan, rule, maxBatches: 1000, maxMs: 60_000, batchSize });
            strict_1.default.equal(r.redoneBatches, 0);
            if (r.finished)
                break;
        }
    }
}
(0, node_test_1.before)(async () => {
    db = await (0, pg_1.createTestDatabase)('copy_rules', { extensions: ['vector'] });
    for (const ddl of (0, schema_2.legacyDdl)(plan.legacy, 3))
        await db.pool.query(ddl);
    await db.pool.query(FIXTURE);
    copy = (0, copy_1.createCopyActivities)({ pools: { get: () => db.pool } });
    await (0, schema_1.createSchemaActivities)({ pools: { get: () => db.pool } }).createTargetSchema({ runId: 'setup', plan });
});
(0, node_test_1.after)(async () => db?.drop());
(0, node_test_1.beforeEach)(async () => db.pool.query('truncate chunks_unified'));
function expectedRows(quarantined) {
    const caTags = [...AWKWARD].filter((t) => !(quarantined && t === 'Foo')).sort(byCodePoint);
    const rows = [
        chunkRow(CA, T1, "child 'quoted' $$ \\ 😀", CB, 1, 2, caTags),
        chunkRow(CB, T1, 'parent', null, 0, 1, ['foo', 'ß']),
        chunkRow(CC, T2, 'other text', null, null, null, ['foo']),
        chunkRow(CD, T1, 'd', CB, 1, 3, ['foo']),
        { ...chunkRow(P1, T2, 'Dear {name}', null, 0, 0), is_template: true },
        slotRow(S0, 'nobody', 1, ''),
        slotRow(SN, 'nullval', null, '', [[I(6), 'old', '2024-05-01T00:00:00.000000Z'], [I(7), null, '2024-05-03T00:00:00.000000Z']]),
        tagRow(T1, 'foo', [CA, CB, CD], '2024-02-28 23:59:59.999999'),
        tagRow(T1, 'ß', [CB], '2024-03-03 00:00:00'),
        tagRow(T2, 'foo', [CC], '2024-03-06 00:00:00'),
        ...AWKWARD.filter((t) => t !== 'foo' && !(quarantined && t === 'Foo')).map((t) => tagRow(T1, t, [CA], '2024-03-02 00:00:00')),
    ];
    const s3First = [I(2), 'first', '2024-05-01T10:00:00.500000Z'];
    const s3Tied = [I(4), 'tied-lower-id', '2024-05-02T00:00:00.000000Z'];
    if (quarantined) {
        rows.push(slotRow(S3, 'three', 3, 'tied-lower-id', [s3First, s3Tied]));
    }
    else {
        rows.push(chunkRow(CE, T1, 'e', null, 0, 4, ['ce-tag']), tagRow(T1, 'ce-tag', [CE], '2024-03-07 00:00:00'), { ...chunkRow(P2, T1, 'Second', null, 0, 0), is_template: true }, slotRow(S1, 'one', 2, 'x'), slotRow(S3, 'three', 3, 'winner', [s3First, s3Tied, [I(5), 'winner', '2024-05-02T00:00:00.000000Z']]));
    }
    return rows;
}
function assertSameRows(actual, expected) {
    for (const row of expected)
        strict_1.default.deepEqual(actual.get(row.id), row, `row ${row.id} (${row.content})`);
    strict_1.default.deepEqual([...actual.keys()].sort(), expected.map((r) => r.id).sort(), 'no other rows');
}
(0, node_test_1.test)('rules 1-5 map every legacy row exactly, in small batches', async () => {
    await runAll('run-exact', 2);
    assertSameRows(await targetRows(), expectedRows(false));
});
(0, node_test_1.test)('metadata.tags keeps the code point order and the JSON text is exact', async () => {
    await runAll('run-json', 1000);
    const { rows } = await db.pool.query(`select metadata::text as m from chunks_unified where id = $1`, [CB]);
    strict_1.default.equal(rows[0].m, '{"tags": ["foo", "ß"]}');
});
(0, node_test_1.test)('quarantined rows of this run are excluded; other runs\' quarantine rows are not', async () => {
    const q = (run, table, key) => db.pool.query(`insert into stp_migration.quarantine (run_id, source_table, kind, reason, row, row_key) values ($1, $2, 'test', 'test', '{}', $3)`, [run, table, key]);
    for (const run of ['run-q', 'run-someone-else']) {
        await q(run, 'chunks_legacy', CE); // its tag row is left out by the chunk filter alone
        await q(run, 'chunk_tags_legacy', `${CA}|Foo`);
        await q(run, 'templates_legacy', P2);
        await q(run, 'template_slots_legacy', S1);
        await q(run, 'template_slot_instances_legacy', I(5));
    }
    await runAll('run-q', 3);
    assertSameRows(await targetRows(), expectedRows(true));
    await db.pool.query('truncate chunks_unified');
    await db.pool.query(`delete from stp_migration.quarantine where run_id = 'run-q'`);
    await runAll('run-not-q', 3);
    assertSameRows(await targetRows(), expectedRows(false));
});
//# sourceMappingURL=copy-rules.test.js.map