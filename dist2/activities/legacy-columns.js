"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.LEGACY_COLUMNS = void 0;
exports.checkLegacyColumns = checkLegacyColumns;
const db_1 = require("./db");
/**
 * Every legacy column the copy rules, defect scan, verify and live-write replay read
 * (MIGRATION-CONTRACT section 1), with the types they accept. A column missing here would
 * otherwise fail a copy batch over and over ("column s.indent_level does not exist").
 */
exports.LEGACY_COLUMNS = {
    texts: { id: 'uuid' },
    chunks: { id: 'uuid', text_id: 'uuid', content: 'text', parent_chunk_id: 'uuid', indent_level: 'integer', sequence_number: 'integer', created_at: 'timestamp', updated_at: 'timestamp' },
    templates: { id: 'uuid', text_id: 'uuid', content: 'text', created_at: 'timestamp', updated_at: 'timestamp' },
    slots: { id: 'uuid', template_id: 'uuid', slot_name: 'text', slot_order: 'integer', created_at: 'timestamp', updated_at: 'timestamp' },
    instances: { id: 'uuid', slot_id: 'uuid', slot_value: 'text', created_at: 'timestamp', updated_at: 'timestamp' },
    tags: { chunk_id: 'uuid', tag_content: 'text', created_at: 'timestamp' },
    embeddings: { id: 'uuid', chunk_id: 'uuid', vector: 'vector', model_name: 'text', created_at: 'timestamp' },
};
const TYPES = {
    uuid: ['uuid'],
    text: ['text', 'varchar', 'bpchar'],
    integer: ['int2', 'int4', 'int8'],
    timestamp: ['timestamptz', 'timestamp'],
    vector: ['vector'],
};
/**
 * The legacy tables' columns against LEGACY_COLUMNS (a missing table is reported elsewhere), and
 * the embeddings' dimensions: one per table, which the target column and vector index need.
 * Read-only; every problem names the table, the column, what was found and what to do.
 */
async function checkLegacyColumns(client, plan) {
    const problems = [];
    const warnings = [];
    for (const [role, want] of Object.entries(exports.LEGACY_COLUMNS)) {
        const table = plan.legacy[role];
        const { rows } = await client.query(`select a.attname as name, t.typname as type, a.atttypmod as typmod
         from pg_attribute a
         join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
         join pg_type t on t.oid = a.atttypid
        where n.nspname = $1 and c.relname = $2 and a.attnum > 0 and not a.attisdropped`, [plan.schema, table]);
        if (rows.length === 0)
            continue;
        const have = new Map(rows.map((r) => [r.name, r]));
        const where = `${plan.schema}.${table} (plan.legacy.${role})`;
        for (const [column, kind] of Object.entries(want)) {
            const col = have.get(column);
            if (!col)
                problems.push(`legacy column ${where}.${column} is missing (expected ${kind}): add it (\`alter table ${plan.schema}.${table} add column ${column} ${kind === 'timestamp' ? 'timestamptz' : kind}\`) or point plan.legacy.${role} at the STP table`);
            else if (!TYPES[kind].includes(col.type))
                problems.push(`legacy column ${where}.${column} is of type ${col.type}, expected ${kind} (${TYPES[kind].join(' or ')}): convert it, or point plan.legacy.${role} at the STP table`);
        }
        const extra = rows.filter((r) => !(r.name in want) && !(role === 'texts'));
        if (extra.length)
            warnings.push(`${where} has column(s) the upgrade does not read and does not migrate: ${extra.map((r) => r.name).join(', ')}`);
        if (role === 'embeddings' && have.get('vector')?.type === 'vector')
            problems.push(...(await dimensionProblems(client, plan, have.get('vector').typmod)));
    }
    return { problems, warnings };
}
/** Mixed dimensions in an untyped vector column fail the vector index build ("column does not have dimensions"). */
async function dimensionProblems(client, plan, typmod) {
    if (typmod > 0)
        return [];
    const table = `${plan.schema}.${plan.legacy.embeddings}`;
    const { rows } = await client.query(`select vector_dims(vector) as dim, count(*)::text as n from ${(0, db_1.qualified)(plan.schema, plan.legacy.embeddings)} group by 1 order by count(*) desc limit 6`);
    const dims = rows.filter((r) => r.dim !== null);
    if (dims.length <= 1 && plan.embeddings.index.kind === 'none')
        return [];
    if (dims.length > 1) {
        return [`legacy column ${table}.vector holds vectors of ${dims.length}${dims.length === 6 ? '+' : ''} dimensions (${dims.map((r) => `${r.dim}: ${r.n} rows`).join(', ')}); ` +
                `the target embeddings need one: re-embed or delete the odd rows (\`delete from ${table} where vector_dims(vector) <> ${dims[0].dim}\`), then type the column (\`alter table ${table} alter column vector type vector(${dims[0].dim})\`)`];
    }
    if (dims.length === 1) {
        return [`legacy column ${table}.vector has no declared dimension, which the ${plan.embeddings.index.kind} index of plan.embeddings.index needs: ` +
                `type it (\`alter table ${table} alter column vector type vector(${dims[0].dim})\`), or set plan.embeddings.index.kind: none`];
    }
    return [];
}
//# sourceMappingURL=legacy-columns.js.map