"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_crypto_1 = require("node:crypto");
const node_test_1 = require("node:test");
const copy_1 = require("../../activities/copy");
const quarantine_1 = require("../../activities/quarantine");
const schema_1 = require("../../activities/schema");
const sync_1 = require("../../activities/sync");
const verify_1 = require("../../activities/verify");
const plan_1 = require("../../common/plan");
const generate_1 = require("../../fixtures/generate");
const contract_1 = require("../helpers/contract");
const pg_1 = require("../helpers/pg");
/**
 * Contract section 6 on a real PostgreSQL: a writer shaped like the reference service (v1 on the
 * legacy tables before the switch, v2 on the target tables after it) runs concurrently with the
 * copy, the replay, the write hold and the reverse replay; afterwards rules 1-6 applied to the
 * legacy tables equal the target tables, checked by an independent SQL computation.
 */
const RUN = 'sync-test-run';
let db;
const parsed = (0, plan_1.parsePlan)({ defects: { policy: 'quarantine' }, steps: ['preflight', 'schema', 'copy', 'embeddings', 'verify'], copy: { batchSize: 500 } });
if (!parsed.ok)
    throw new Error(parsed.errors.join('\n'));
const plan = parsed.plan;
const input = { runId: RUN, plan };
let sync;
let switched = 0;
const DIM = 4;
const vec = () => `[${Array.from({ length: DIM }, () => Math.random().toFixed(4)).join(',')}]`;
/** A writer like service v1 (legacy tables) or v2 (target tables), until stopped. Counts what it did. */
function writer(pool, side) {
    const texts = [];
    const stats = { created: 0, deleted: 0, templates: 0, tags: 0, slotValues: 0, errors: [] };
    let stop = false;
    const createText = async (c) => {
        const id = (0, node_crypto_1.randomUUID)();
        const root = (0, node_crypto_1.randomUUID)();
        const kids = [(0, node_crypto_1.randomUUID)(), (0, node_crypto_1.randomUUID)()];
        await c.query(`insert into texts (id, title, content) values ($1, 'w', 'line one\n  line two')`, [id]);
        if (side === 'legacy') {
            await c.query(`insert into chunks_legacy (id, text_id, content, parent_chunk_id, indent_level, sequence_number)
                     values ($2, $1, 'line one', null, 0, 0), ($3, $1, '  line two', $2, 1, 1), ($4, $1, '  line three', $2, 1, 2)`, [id, root, ...kids]);
            await c.query(`insert into embeddings_legacy (id, chunk_id, vector, model_name)
                     select gen_random_uuid(), x, $2::vector, 'text-embedding-ada-002' from unnest($1::uuid[]) x`, [[root, ...kids], vec()]);
            await c.query(`insert into chunk_tags_legacy (chunk_id, tag_content) values ($1, 'live'), ($2, 'live'), ($2, ' Live ')`, [root, kids[0]]);
        }
        else {
            await c.query(`insert into chunks_unified (id, text_id, content, is_template, is_slot, parent_chunk_id, indent_level, sequence_number)
                     values ($2, $1, 'line one', false, false, null, 0, 0), ($3, $1, '  line two', false, false, $2, 1, 1)`, [id, root, kids[0]]);
            await c.query(`insert into embeddings_v2 (chunk_id, vector, model_name) select x, $2::vector, 'text-embedding-ada-002' from unnest($1::uuid[]) x`, [[root, kids[0]], vec()]);
            const tagId = (0, node_crypto_1.randomUUID)();
            await c.query(`insert into chunks_unified (id, text_id, content, is_template, is_slot, indent_level, sequence_number, metadata, created_at, updated_at)
                     values ($1, $2, 'green-tag', false, false, 0, 0, jsonb_build_object('type', 'tag', 'original_chunk_ids', jsonb_build_array($3::text)), now(), now())`, [tagId, id, root]);
            await c.query(`update chunks_unified set metadata = jsonb_build_object('tags', jsonb_build_array('green-tag')) where id = $1`, [root]);
        }
        texts.push(id);
        stats.created += 1;
    };
    const deleteText = async (c) => {
        const id = texts.shift();
        if (!id)
            return;
        if (side === 'legacy') {
            await c.query(`delete from embeddings_legacy where chunk_id in (select id from chunks_legacy where text_id = $1)`, [id]);
            await c.query(`delete from chunk_tags_legacy where chunk_id in (select id from chunks_legacy where text_id = $1)`, [id]);
            await c.query(`delete from chunks_legacy where text_id = $1`, [id]);
        }
        else {
            await c.query(`delete from embeddings_v2 where chunk_id in (select id from chunks_unified where text_id = $1)`, [id]);
            await c.query(`delete from chunks_unified where text_id = $1`, [id]);
        }
        await c.query(`delete from texts where id = $1`, [id]);
        stats.deleted += 1;
    };
    const createTemplate = async (c) => {
        const text = (0, node_crypto_1.randomUUID)();
        const tpl = (0, node_crypto_1.randomUUID)();
        const slots = [(0, node_crypto_1.randomUUID)(), (0, node_crypto_1.randomUUID)()];
        await c.query(`insert into texts (id, title, content) values ($1, 't', 't')`, [text]);
        if (side === 'legacy') {
            await c.query(`insert into templates_legacy (id, text_id, content) values ($1, $2, 'tpl')`, [tpl, text]);
            await c.query(`insert into template_slots_legacy (id, template_id, slot_name, slot_order) values ($1, $3, 'a', 0), ($2, $3, 'b', 1)`, [...slots, tpl]);
            await c.query(`insert into template_slot_instances_legacy (id, slot_id, slot_value) values (gen_random_uuid(), $1, 'v1'), (gen_random_uuid(), $1, 'v2')`, [slots[0]]);
        }
        else {
            await c.query(`insert into chunks_unified (id, text_id, content, is_template, is_slot, indent_level, sequence_number) values ($1, $2, 'tpl', true, false, 0, 0)`, [tpl, text]);
            await c.query(`insert into chunks_unified (id, text_id, content, is_template, is_slot, parent_chunk_id, template_chunk_id, slot_value, indent_level, sequence_number)
                     values ($1, $3, 'a', false, true, $4, $4, '', 1, 0), ($2, $3, 'b', false, true, $4, $4, '', 1, 1)`, [...slots, text, tpl]);
            await c.query(`update chunks_unified set slot_value = 'filled by green', updated_at = now() where id = $1`, [slots[0]]);
            stats.slotValues += 1;
        }
        stats.templates += 1;
    };
    const loop = (async () => {
        const client = await pool.connect();
        try {
            let i = 0;
            while (!stop) {
                i += 1;
                try {
                    await client.query('begin');
                    if (i % 10 === 3)
                        await deleteText(client);
                    else if (i % 5 === 0)
                        await createTemplate(client);
                    else
                        await createText(client);
                    await client.query('commit');
                }
                catch (err) {
                    await client.query('rollback').catch(() => undefined);
                    stats.errors.push(String(err));
                }
                await new Promise((r) => setTimeout(r, 50));
            }
        }
        finally {
            client.release();
        }
    })();
    return { stats, stop: async () => { stop = true; await loop; return stats; } };
}
(0, node_test_1.before)(async () => {
    db = await (0, pg_1.createTestDatabase)('sync', { extensions: ['vector'] });
    await (0, generate_1.generateFixtures)(db.pool, { chunks: 3000, dim: DIM, graph: false, defects: true, seed: 11 });
    sync = (0, sync_1.createSyncActivities)({ pools: { get: () => db.pool }, switchTraffic: async () => { switched += 1; return { ok: true }; } });
});
(0, node_test_1.after)(async () => db?.drop());
(0, node_test_1.test)('forward: every live write during the copy is carried; the target equals the rules on the final legacy tables', async () => {
    const pools = { pools: { get: () => db.pool } };
    await (0, schema_1.createSchemaActivities)(pools).createTargetSchema(input);
    await sync.installCapture(input);
    const w = writer(db.pool, 'legacy');
    await new Promise((r) => setTimeout(r, 300));
    await (0, quarantine_1.createQuarantineActivities)(pools).quarantineDefects(input);
    const copy = (0, copy_1.createCopyActivities)(pools);
    for (const rule of ['chunks', 'templates', 'slots', 'tags', 'embeddings']) {
        for (;;) {
            const r = await copy.copySlice({ ...input, rule, maxBatches: 2, maxMs: 5000, batchSize: 500 });
            const s = await sync.replaySync({ ...input, direction: 'forward', maxMs: 2000 });
            strict_1.default.ok(s.backlog >= 0);
            if (r.finished)
                break;
        }
    }
    await sync.replaySync({ ...input, direction: 'forward', maxMs: 10_000 });
    // the FKs are validated while the writer still writes (and deletes texts)
    await (0, schema_1.createSchemaActivities)(pools).finishTargetSchema(input);
    const report = await (0, verify_1.createVerifyActivities)(pools).verify(input);
    strict_1.default.equal(report.pending?.changes, 0, 'the verify snapshot was taken under a hold, after the last replay');
    strict_1.default.deepEqual(report.problems, [], JSON.stringify(report.problems));
    // as the saga does: catch up to plan.sync.cutover.maxBacklog, then hold
    for (let s = await sync.replaySync({ ...input, direction: 'forward' }); s.backlog > plan.sync.cutover.maxBacklog;) {
        s = await sync.replaySync({ ...input, direction: 'forward' });
    }
    strict_1.default.ok(report.syncMark !== undefined, 'the report marks the replay log position of its snapshot');
    const cut = await sync.cutover({ ...input, maxHoldMs: 5000, sinceMark: report.syncMark });
    strict_1.default.equal(cut.switched, true, cut.reason);
    strict_1.default.ok((cut.rechecked?.keys ?? 0) > 0, 'keys changed since verify were rechecked under the hold');
    strict_1.default.equal(cut.rechecked?.differing, 0);
    strict_1.default.equal(switched, 1);
    console.log(`cut-over hold ${cut.holdMs} ms, ${cut.replayed} changes replayed under the hold, ${cut.rechecked?.keys} keys rechecked`);
    const stats = await w.stop();
    strict_1.default.deepEqual(stats.errors, [], 'no write of the application failed');
    strict_1.default.ok(stats.created > 20 && stats.deleted > 3, JSON.stringify(stats));
    // blue's writes acknowledged before it stopped (after the switch too: capture stays on while it drains)
    await sync.replaySync({ ...input, direction: 'forward', maxMs: 10_000 });
    const problems = await (0, contract_1.checkContract)(db.pool, RUN, null);
    strict_1.default.deepEqual(problems, []);
    const { rows } = await db.pool.query(`select count(*)::int as n from chunks_unified u where u.text_id in (select id from texts) and not u.is_template and not u.is_slot`);
    strict_1.default.ok(rows[0].n > 0);
});
(0, node_test_1.test)('reverse: green\'s writes after the switch reach the legacy tables; a rollback loses none', async () => {
    const w = writer(db.pool, 'target');
    await new Promise((r) => setTimeout(r, 1500));
    const mid = await sync.replaySync({ ...input, direction: 'reverse', maxMs: 5000 });
    strict_1.default.ok(mid.replayed > 0, 'green\'s writes were recorded');
    const stats = await w.stop();
    strict_1.default.deepEqual(stats.errors, []);
    const drained = await sync.drainReverse(input);
    console.log(`reverse: ${mid.replayed + drained.carriedBack} changes carried back; writer ${JSON.stringify(stats)}`);
    // no echo: the reverse replay's legacy writes were not recorded as forward changes
    const echo = await db.pool.query(`select count(*)::int as n from stp_migration.changes where run_id = $1`, [RUN]);
    strict_1.default.equal(echo.rows[0].n, 0);
    // rules 1-6 applied to the legacy tables give exactly the target: blue would serve every green write
    const problems = await (0, contract_1.checkContract)(db.pool, RUN, null);
    strict_1.default.deepEqual(problems, []);
});
(0, node_test_1.test)('a hold gives up, without failing anyone, when a writer keeps a legacy table locked', async () => {
    const app = await db.pool.connect();
    try {
        await app.query('begin');
        await app.query(`insert into texts (id, title, content) values ($1, 'long', 'long')`, [(0, node_crypto_1.randomUUID)()]);
        await app.query(`insert into chunks_legacy (id, text_id, content) select gen_random_uuid(), id, 'long' from texts where title = 'long'`);
        const t0 = Date.now();
        const held = await (0, sync_1.withWritesHeld)(db.pool, RUN, plan, 2000, async () => 'never');
        strict_1.default.equal(held.held, false);
        strict_1.default.match(held.reason ?? '', /lock timeout/);
        strict_1.default.ok(Date.now() - t0 < 2000, 'our lock_timeout stays under deadlock_timeout');
        await app.query('commit'); // the application's transaction was never disturbed
    }
    finally {
        app.release();
    }
    const after = await (0, sync_1.withWritesHeld)(db.pool, RUN, plan, 5000, async () => 'held');
    strict_1.default.equal(after.held, true);
    strict_1.default.equal(after.value, 'held');
    strict_1.default.ok(after.replayed >= 1, 'the long transaction\'s change was replayed under the hold');
});
(0, node_test_1.test)('removeCapture leaves nothing of the capture behind', async () => {
    const r = await sync.removeCapture(input);
    strict_1.default.equal(r.dropped, 24); // 8 tables, a trigger per event
    const { rows } = await db.pool.query(`select (select count(*) from pg_trigger where tgname like 'stp_capture_%')::int as triggers,
            to_regclass('stp_migration.changes') is null as no_changes, to_regproc('stp_migration.capture') is null as no_fn`);
    strict_1.default.deepEqual(rows[0], { triggers: 0, no_changes: true, no_fn: true });
    strict_1.default.deepEqual(await sync.removeCapture(input), { dropped: 0, discarded: 0 });
});
//# sourceMappingURL=sync.test.js.map