"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.busyReason = busyReason;
/**
 * Why the primary is too busy for the next copy batch, or null: the first of the plan's limits
 * (copy.maxLoad) that the server's current state exceeds. Read from pg_stat_activity and
 * pg_stat_replication (no replicas: no lag); the custom probe runs read-only in its own
 * transaction, so it can read but never change anything.
 */
async function busyReason(client, load) {
    if (!load)
        return null;
    if (load.activeBackends !== undefined || load.lockWaits !== undefined) {
        const { rows } = await client.query(`select count(*) filter (where state = 'active')::int as active, count(*) filter (where wait_event_type = 'Lock')::int as waiting
         from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid()`);
        if (load.activeBackends !== undefined && rows[0].active > load.activeBackends) {
            return `${rows[0].active} active backends > copy.maxLoad.activeBackends ${load.activeBackends}`;
        }
        if (load.lockWaits !== undefined && rows[0].waiting > load.lockWaits) {
            return `${rows[0].waiting} sessions waiting on a lock > copy.maxLoad.lockWaits ${load.lockWaits}`;
        }
    }
    if (load.replicationLagSeconds !== undefined) {
        const { rows } = await client.query(`select max(extract(epoch from replay_lag))::float8 as lag from pg_stat_replication`);
        const lag = rows[0].lag ?? 0;
        if (lag > load.replicationLagSeconds)
            return `replica lag ${lag.toFixed(1)} s > copy.maxLoad.replicationLagSeconds ${load.replicationLagSeconds}`;
    }
    if (load.probe) {
        await client.query('begin transaction read only');
        try {
            const { rows } = await client.query(load.probe.sql);
            const value = Number(Object.values(rows[0] ?? {})[0]);
            if (Number.isFinite(value) && value > load.probe.max)
                return `copy.maxLoad.probe gave ${value} > ${load.probe.max}`;
        }
        finally {
            await client.query('rollback');
        }
    }
    return null;
}
//# sourceMappingURL=copy-load.js.map