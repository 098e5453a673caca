"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.quarantineByKind = quarantineByKind;
/** Quarantined rows of the run by defect kind. */
async function quarantineByKind(ctx) {
    const { rows } = await ctx.client.query(`select kind, count(*)::int as n from stp_migration.quarantine where run_id = $1 group by kind order by kind`, [ctx.quarantineRun]);
    return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
}
//# sourceMappingURL=counts.js.map