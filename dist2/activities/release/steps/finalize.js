"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SCHEMA_VERSION_DDL = void 0;
exports.createFinalizeSteps = createFinalizeSteps;
exports.readSchemaVersion = readSchemaVersion;
const errors_1 = require("../../../common/errors");
const bookkeeping_1 = require("../../bookkeeping");
const db_1 = require("../../db");
const context_1 = require("./context");
const errors_2 = require("./errors");
const http_1 = require("./http");
/**
 * The schema version that serves, one row: bumped by finalize to what the load balancer's health
 * reports (`components.database.schema_version` of the instance that answers), put back by
 * unfinalize. `archived` lists the legacy tables this run renamed, for unfinalize.
 */
exports.SCHEMA_VERSION_DDL = `
create table if not exists stp_migration.schema_version (
  singleton boolean primary key default true check (singleton),
  version integer not null,
  previous integer,
  run_id text,
  archived jsonb not null default '[]',
  updated_at timestamptz not null default now())`;
/** Legacy tables only; `texts` is shared with the unified schema and is never archived. */
function archivePairs(plan, suffix) {
    const { texts: _shared, ...legacy } = plan.legacy;
    return Object.values(legacy).map((from) => {
        const to = `${from}${suffix}`;
        if (to.length > 63)
            throw new errors_1.BadInputError(`archived name ${to} is longer than 63 characters: shorten plan.release.finalize.archiveSuffix`);
        return { from, to };
    });
}
async function exists(client, schema, table) {
    const { rows } = await client.query(`select to_regclass($1)::text as reg`, [(0, db_1.qualified)(schema, table)]);
    return rows[0].reg !== null;
}
/** Renames each existing `from` to `to`; a pair already renamed is skipped; both present is refused. */
async function renameAll(client, schema, pairs) {
    const done = [];
    for (const { from, to } of pairs) {
        const [a, b] = [await exists(client, schema, from), await exists(client, schema, to)];
        if (a && b)
            throw new errors_1.PreconditionError(`both ${schema}.${from} and ${schema}.${to} exist; drop or rename one of them first`);
        if (a)
            await client.query(`alter table ${(0, db_1.qualified)(schema, from)} rename to ${(0, db_1.ident)(to)}`);
        if (a || b)
            done.push(to);
    }
    return done;
}
function createFinalizeSteps(deps) {
    return {
        /**
         * Records the schema version green serves (read through the load balancer, so it is the one
         * that actually serves) and, with finalize.legacyTables = archive, renames the legacy tables to
         * `<name><archiveSuffix>`. Idempotent; blue must be stopped before its tables are archived.
         */
        async finalize({ runId, plan }) {
            const ctx = (0, context_1.releaseContext)(deps, plan);
            const green = ctx.target('green');
            const h = await (0, http_1.requestJson)(`${ctx.lbUrl.replace(/\/$/, '')}/api/v1/health`, 'GET');
            const served = Number(h.body?.components?.database?.schema_version);
            if (h.status !== 200 || h.instance !== green.instance || !Number.isInteger(served)) {
                throw new errors_2.FinalizeError(`the load balancer ${ctx.lbUrl} does not serve a healthy ${green.instance} (X-STP-Instance ${h.instance ?? 'none'}, ${(0, http_1.brief)(h)}); switch traffic first`);
            }
            const archive = ctx.release.finalize.legacyTables === 'archive';
            if (archive) {
                const blue = ctx.findHandle('blue');
                if (blue && (await ctx.deployer.isRunning(blue))) {
                    throw new errors_1.PreconditionError(`blue (${blue.instance}) still runs on the legacy tables: stop it (blueAfterSwitch: stop) before archiving them`);
                }
            }
            return (0, db_1.withClient)(deps.pools.get(plan.database), async (client) => {
                await (0, bookkeeping_1.ensureBookkeeping)(client);
                await client.query(exports.SCHEMA_VERSION_DDL);
                return (0, db_1.inTransaction)(client, async (tx) => {
                    await tx.query(`set local lock_timeout = '10s'`);
                    const { rows } = await tx.query(`select version, previous, run_id, archived from stp_migration.schema_version for update`);
                    const mine = rows[0]?.run_id === runId;
                    const previous = mine ? rows[0].previous : (rows[0]?.version ?? null);
                    const archived = archive ? await renameAll(tx, plan.schema, archivePairs(plan, ctx.release.finalize.archiveSuffix)) : [];
                    const record = archivePairs(plan, ctx.release.finalize.archiveSuffix).filter((p) => archived.includes(p.to));
                    await tx.query(`insert into stp_migration.schema_version (singleton, version, previous, run_id, archived, updated_at)
             values (true, $1, $2, $3, $4::jsonb, now())
             on conflict (singleton) do update set version = excluded.version, previous = excluded.previous,
               run_id = excluded.run_id, archived = excluded.archived, updated_at = now()`, [served, previous, runId, JSON.stringify(mine ? mergePairs(rows[0].archived, record) : record)]);
                    return { schemaVersion: served, previous, archived };
                });
            });
        },
        /** Compensation of finalize: the archived tables get their names back and the previous version returns. */
        async unfinalize({ runId, plan }) {
            return (0, db_1.withClient)(deps.pools.get(plan.database), async (client) => {
                if (!(await exists(client, 'stp_migration', 'schema_version')))
                    return { restored: [], schemaVersion: null };
                return (0, db_1.inTransaction)(client, async (tx) => {
                    await tx.query(`set local lock_timeout = '10s'`);
                    const { rows } = await tx.query(`select version, previous, run_id, archived from stp_migration.schema_version for update`);
                    if (rows[0]?.run_id !== runId)
                        return { restored: [], schemaVersion: rows[0]?.version ?? null };
                    const restored = await renameAll(tx, plan.schema, rows[0].archived.map((p) => ({ from: p.to, to: p.from })));
                    if (rows[0].previous === null) {
                        await tx.query(`delete from stp_migration.schema_version`);
                    }
                    else {
                        await tx.query(`update stp_migration.schema_version set version = previous, previous = null, run_id = null,
              archived = '[]', updated_at = now()`);
                    }
                    return { restored, schemaVersion: rows[0].previous };
                });
            });
        },
    };
}
function mergePairs(a, b) {
    const seen = new Map([...a, ...b].map((p) => [p.to, p]));
    return [...seen.values()];
}
/** The recorded schema version, or null when finalize never ran. */
async function readSchemaVersion(client) {
    if (!(await exists(client, 'stp_migration', 'schema_version')))
        return null;
    const { rows } = await client.query(`select version from stp_migration.schema_version`);
    return rows[0]?.version ?? null;
}
//# sourceMappingURL=finalize.js.map