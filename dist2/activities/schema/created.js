"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.recordCreatedObject = recordCreatedObject;
exports.createdObjects = createdObjects;
const errors_1 = require("../../common/errors");
/** Idempotent: recording the same object twice keeps one entry. */
async function recordCreatedObject(client, runId, kind, name) {
    // A run normally holds its row from acquireRun; tolerate a missing one (e.g. a step run on its own),
    // but never by stealing the lease: the partial unique index makes this a no-op when another run is active.
    await client.query(`insert into stp_migration.runs (run_id, status) values ($1, 'running') on conflict do nothing`, [runId]);
    const obj = JSON.stringify([{ kind, name }]);
    const { rowCount } = await client.query(`update stp_migration.runs
        set created_objects = case when created_objects @> $2::jsonb then created_objects else created_objects || $2::jsonb end
      where run_id = $1`, [runId, obj]);
    if (!rowCount)
        throw new errors_1.PreconditionError(`run ${runId} is not registered in stp_migration.runs (another run is active?)`);
}
async function createdObjects(client, runId) {
    const { rows } = await client.query(`select created_objects as objs from stp_migration.runs where run_id = $1`, [runId]);
    return rows[0]?.objs ?? [];
}
//# sourceMappingURL=created.js.map