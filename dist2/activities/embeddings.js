"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.heartbeating = exports.heartbeat = void 0;
exports.vectorIndexName = vectorIndexName;
exports.ivfflatLists = ivfflatLists;
exports.maintenanceWorkMemMb = maintenanceWorkMemMb;
exports.createEmbeddingsActivities = createEmbeddingsActivities;
const db_1 = require("./db");
const heartbeat_1 = require("./heartbeat");
const bookkeeping_1 = require("./bookkeeping");
const created_1 = require("./schema/created");
var heartbeat_2 = require("./heartbeat");
Object.defineProperty(exports, "heartbeat", { enumerable: true, get: function () { return heartbeat_2.heartbeat; } });
Object.defineProperty(exports, "heartbeating", { enumerable: true, get: function () { return heartbeat_2.heartbeating; } });
/** The vector index's name: `<table>_vector_idx`, shortened to fit PostgreSQL's 63 bytes. */
function vectorIndexName(table) {
    return `${table.slice(0, 63 - '_vector_idx'.length)}_vector_idx`;
}
/**
 * ivfflat lists: the plan's value, else pgvector's advice (README, "IVFFlat": "a good place to
 * start is rows / 1000 for up to 1M rows and sqrt(rows) for over 1M rows"), at least 10.
 */
function ivfflatLists(rows, planned) {
    if (planned)
        return planned;
    const derived = rows <= 1_000_000 ? Math.floor(rows / 1000) : Math.floor(Math.sqrt(rows));
    return Math.max(10, derived);
}
/**
 * maintenance_work_mem for the build: HNSW builds far faster when the graph fits in it (pgvector
 * warns otherwise). Estimated from rows x vector bytes with some room, between 64 MB and 1 GB.
 */
function maintenanceWorkMemMb(rows, dim) {
    const mb = Math.ceil((rows * (dim * 4 + 64) * 1.5) / (1024 * 1024));
    return Math.min(1024, Math.max(64, mb));
}
async function indexState(client, schema, name) {
    const { rows } = await client.query(`select i.indisvalid as valid, am.amname as am
       from pg_class c join pg_index i on i.indexrelid = c.oid
       join pg_namespace n on n.oid = c.relnamespace join pg_am am on am.oid = c.relam
      where n.nspname = $1 and c.relname = $2`, [schema, name]);
    return rows[0] ?? null;
}
/** The start of the build statement, as pg_stat_activity shows it: how a retry finds a build left running. */
function indexDdlPrefix(plan, name) {
    return `create index concurrently ${(0, db_1.ident)(name)} on ${(0, db_1.qualified)(plan.schema, plan.target.embeddings)} using `;
}
function indexDdl(plan, name, lists) {
    const { kind, m, efConstruction } = plan.embeddings.index;
    const using = kind === 'hnsw'
        ? `hnsw (vector vector_cosine_ops) with (m = ${Number(m)}, ef_construction = ${Number(efConstruction)})`
        : `ivfflat (vector vector_cosine_ops) with (lists = ${Number(lists)})`;
    return `${indexDdlPrefix(plan, name)}${using}`;
}
function createEmbeddingsActivities({ pools }) {
    return (0, heartbeat_1.keepAliveAll)({
        /**
         * Builds the vector index after the load, CONCURRENTLY so the table stays writable. A build an
         * earlier attempt left running (its worker died; the backend goes on until the statement ends)
         * is terminated first; an INVALID index (a build that crashed or was cancelled) is dropped and
         * rebuilt; a valid one of the planned kind is kept, so a retry changes nothing. Heartbeats
         * throughout; on cancellation the build is cancelled in the server. Returns null when the plan
         * asks for none.
         */
        async buildVectorIndex({ runId, plan }) {
            const kind = plan.embeddings.index.kind;
            if (kind === 'none')
                return null;
            const name = vectorIndexName(plan.target.embeddings);
            const table = (0, db_1.qualified)(plan.schema, plan.target.embeddings);
            const session = { runId, activity: 'vector-index', queryPrefix: indexDdlPrefix(plan, name), signal: (0, heartbeat_1.cancellationSignal)() };
            return (0, db_1.withLongSession)(pools.get(plan.database), session, async (client) => {
                // Two attempts of this activity (a retry while the first still builds) must not race.
                const lockKey = `stp-upgrade:index:${plan.schema}.${name}`;
                await (0, bookkeeping_1.ensureBookkeeping)(client);
                await client.query('select pg_advisory_lock(hashtextextended($1, 0))', [lockKey]);
                try {
                    const { rows } = await client.query(`select (select count(*) from ${table})::text as n,
                    (select atttypmod from pg_attribute where attrelid = $1::regclass and attname = 'vector') as dim`, [table]);
                    const count = Number(rows[0].n);
                    const lists = kind === 'ivfflat' ? ivfflatLists(count, plan.embeddings.index.lists) : undefined;
                    const state = await indexState(client, plan.schema, name);
                    if (state?.valid && state.am === kind)
                        return { index: name, kind, ...(lists ? { lists } : {}) };
                    if (state)
                        await client.query(`drop index concurrently if exists ${(0, db_1.qualified)(plan.schema, name)}`);
                    // Recorded before the build: CREATE INDEX CONCURRENTLY cannot share a transaction with the record.
                    await (0, created_1.recordCreatedObject)(client, runId, 'index', `${plan.schema}.${name}`);
                    await client.query(`set maintenance_work_mem = '${maintenanceWorkMemMb(count, Math.max(1, rows[0].dim))}MB'`);
                    await (0, heartbeat_1.heartbeating)({ building: name, rows: count }, () => client.query(indexDdl(plan, name, lists)));
                    await client.query('reset maintenance_work_mem');
                    const { rows: c } = await client.query(`select format('comment on index %s is %L', $1::text, $2::text) as sql`, [(0, db_1.qualified)(plan.schema, name), `created by stp-upgrade run ${runId}`]);
                    await client.query(c[0].sql);
                    return { index: name, kind, ...(lists ? { lists } : {}) };
                }
                finally {
                    // after a failed build the connection may be gone, and the lock with it: keep the build's error
                    await client.query('select pg_advisory_unlock(hashtextextended($1, 0))', [lockKey]).catch(() => undefined);
                }
            });
        },
    });
}
//# sourceMappingURL=embeddings.js.map