"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * `npm run bench:online`: what live-write capture costs and how fast it catches up, on the real
 * PostgreSQL of `npm run dev:up`. Prints figures, never pass/fail:
 *  - p50/p95 of an application write (a v1-style text: text, 4 chunks, 4 embeddings, 2 tags) with
 *    capture off and on, interleaved in rounds so both see the same server;
 *  - forward replay throughput on a backlog of ~100k changes (changes/s);
 *  - the cut-over hold (p50/p95 over several holds, with a writer running meanwhile).
 * Options: --backlog N (default 100000), --writes N per round (default 300), --holds N (default 10).
 */
const node_crypto_1 = require("node:crypto");
const node_os_1 = __importDefault(require("node:os"));
const db_1 = require("../activities/db");
const schema_1 = require("../activities/schema");
const capture_1 = require("../activities/sync/capture");
const hold_1 = require("../activities/sync/hold");
const plan_1 = require("../common/plan");
const generate_1 = require("../fixtures/generate");
const pg_1 = require("../test/helpers/pg");
const arg = (name, dflt) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const RUN = 'bench-online';
const pct = (xs, p) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const vec = '[' + Array.from({ length: 32 }, (_, i) => (i / 32).toFixed(3)).join(',') + ']';
/** One write as service v1 makes it: one transaction. Returns its latency in ms. */
async function v1Write(c) {
    const t = process.hrtime.bigint();
    const text = (0, node_crypto_1.randomUUID)();
    const ids = [(0, node_crypto_1.randomUUID)(), (0, node_crypto_1.randomUUID)(), (0, node_crypto_1.randomUUID)(), (0, node_crypto_1.randomUUID)()];
    await c.query('begin');
    await c.query(`insert into texts (id, title, content) values ($1, 'b', 'b')`, [text]);
    await c.query(`insert into chunks_legacy (id, text_id, content, parent_chunk_id, indent_level, sequence_number)
                 select x, $1, 'chunk', case when n = 1 then null else $2::uuid end, case when n = 1 then 0 else 1 end, n
                   from unnest($3::uuid[]) with ordinality u(x, n)`, [text, ids[0], ids]);
    await c.query(`insert into embeddings_legacy (id, chunk_id, vector, model_name)
                 select gen_random_uuid(), x, $2::vector, 'text-embedding-ada-002' from unnest($1::uuid[]) x`, [ids, vec]);
    await c.query(`insert into chunk_tags_legacy (chunk_id, tag_content) values ($1, 'bench'), ($2, 'bench')`, [ids[0], ids[1]]);
    await c.query('commit');
    return Number(process.hrtime.bigint() - t) / 1e6;
}
async function main() {
    const parsed = (0, plan_1.parsePlan)({ defects: { policy: 'quarantine' } });
    if (!parsed.ok)
        throw new Error(parsed.errors.join('\n'));
    const plan = parsed.plan;
    const db = await (0, pg_1.createTestDatabase)('bench_online', { extensions: ['vector'] });
    try {
        await (0, generate_1.generateFixtures)(db.pool, { chunks: 20_000, dim: 32, graph: false, seed: 1 });
        await (0, schema_1.createSchemaActivities)({ pools: { get: () => db.pool } }).createTargetSchema({ runId: RUN, plan });
        const c = await db.pool.connect();
        try {
            await (0, capture_1.ensureSyncTables)(c);
            // 1. the write path, capture off / on, interleaved rounds
            const off = [];
            const on = [];
            const perRound = arg('writes', 150);
            for (let round = 0; round < 8; round++) {
                const capture = round % 2 === 1;
                if (capture)
                    await (0, capture_1.installTriggers)(c, RUN, plan, 'f');
                else
                    await (0, capture_1.dropTriggers)(c, RUN, plan, 'f');
                for (let i = 0; i < perRound; i++)
                    (capture ? on : off).push(await v1Write(c));
            }
            await c.query(`delete from stp_migration.changes`);
            // 2. replay throughput on a backlog
            const want = arg('backlog', 100_000);
            const perWrite = 11; // 4 chunks + 4 embeddings + 2 tags + … as recorded
            const t0 = Date.now();
            while ((await (0, capture_1.backlog)(c, RUN, 'f')).n < want) {
                for (let i = 0; i < 200; i++)
                    await v1Write(c);
                if (Date.now() - t0 > 20 * 60_000)
                    break;
            }
            const queued = (await (0, capture_1.backlog)(c, RUN, 'f')).n;
            const r0 = Date.now();
            const replayed = await (0, hold_1.replayUntilEmpty)(db.pool, c, RUN, plan, Date.now() + 60 * 60_000);
            const replaySecs = (Date.now() - r0) / 1000;
            // 3. the hold, with a writer meanwhile
            let writing = true;
            const w = await db.pool.connect();
            const writer = (async () => {
                while (writing) {
                    await v1Write(w).catch(() => undefined);
                    await new Promise((r) => setTimeout(r, 50));
                }
            })();
            const holds = [];
            const held = [];
            for (let i = 0; i < arg('holds', 10); i++) {
                await new Promise((r) => setTimeout(r, 500));
                const h = await (0, hold_1.withWritesHeld)(db.pool, RUN, plan, plan.sync.cutover.maxHoldMs, async () => undefined);
                if (h.held)
                    holds.push(h.holdMs);
                held.push(h.held ? 1 : 0);
            }
            writing = false;
            await writer;
            w.release();
            await (0, db_1.inTransaction)(c, (tx) => (0, capture_1.dropTriggers)(tx, RUN, plan, 'f'));
            const f = (x) => x.toFixed(2);
            console.log(`\nbench:online on ${node_os_1.default.cpus().length} cores, ${(node_os_1.default.totalmem() / 2 ** 30).toFixed(0)} GiB, ${new Date().toISOString()}`);
            console.log(`| figure | value |\n| --- | --- |`);
            console.log(`| application write p50 / p95, capture off | ${f(pct(off, 50))} / ${f(pct(off, 95))} ms (${off.length} writes) |`);
            console.log(`| application write p50 / p95, capture on | ${f(pct(on, 50))} / ${f(pct(on, 95))} ms (${on.length} writes) |`);
            console.log(`| p95 overhead of capture | ${(((pct(on, 95) - pct(off, 95)) / pct(off, 95)) * 100).toFixed(1)} % (target <= 20 %) |`);
            console.log(`| forward replay | ${replayed.replayed} changes (backlog ${queued}, ~${perWrite} per write) in ${replaySecs.toFixed(1)} s = ${Math.round(replayed.replayed / replaySecs)} changes/s |`);
            console.log(`| cut-over hold p50 / p95 | ${pct(holds, 50) ?? '-'} / ${pct(holds, 95) ?? '-'} ms over ${holds.length} holds (${held.length - holds.length} released without finishing) |`);
        }
        finally {
            c.release();
        }
    }
    finally {
        await db.drop();
    }
}
main().then(() => process.exit(0), (err) => {
    console.error(err);
    process.exit(1);
});
//# sourceMappingURL=online.js.map