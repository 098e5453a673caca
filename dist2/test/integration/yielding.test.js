"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const yielding_1 = require("../../activities/sync/yielding");
const pg_1 = require("../helpers/pg");
/**
 * The race behind a failed request in the online test: an application transaction starts
 * waiting on a row our replay holds, and our replay, slow for a moment, later waits on a row the
 * application holds. With only lock_timeout < deadlock_timeout the application's wait reaches
 * deadlock_timeout first and PostgreSQL aborts the application (40P01). The lock watch cancels
 * our statement once the application has waited half of deadlock_timeout; the application's
 * transaction commits. A replay that blocks no one is never cancelled, however long it runs.
 */
let db;
let dt = 1000;
(0, node_test_1.before)(async () => {
    db = await (0, pg_1.createTestDatabase)('yielding', { extensions: [] });
    await db.pool.query(`create table a (id int primary key, v int not null); create table b (id int primary key, v int not null);
                       insert into a values (1, 0); insert into b values (1, 0)`);
    dt = (await db.pool.query(`select setting::int as ms from pg_settings where name = 'deadlock_timeout'`)).rows[0].ms;
});
(0, node_test_1.after)(async () => db?.drop());
(0, node_test_1.test)('a replay the application waits on gives way before the application is picked as the deadlock victim', async () => {
    const ours = await db.pool.connect();
    const app = await db.pool.connect();
    let calls = 0;
    try {
        await app.query('begin');
        await app.query('update b set v = v + 1 where id = 1'); // the application holds b(1)
        let locked;
        const weHoldA = new Promise((r) => (locked = r));
        const replay = (0, yielding_1.runYielding)(ours, async (tx) => {
            calls += 1;
            await tx.query('update a set v = v + 10 where id = 1'); // we hold a(1)
            locked();
            await tx.query(`select pg_sleep($1)`, [(0.8 * dt) / 1000]); // a slow moment, as on a loaded server
            await tx.query('update b set v = v + 10 where id = 1'); // ...then we wait on the application
            return calls;
        }, { pool: db.pool, limit: 1 });
        await weHoldA;
        const started = Date.now();
        await app.query('update a set v = v + 1 where id = 1'); // the application waits on us: it must not be the victim
        const waited = Date.now() - started;
        await app.query('commit');
        await replay;
        strict_1.default.ok(waited < dt, `the application waited ${waited} ms (deadlock_timeout ${dt} ms)`);
        strict_1.default.ok(calls >= 2, `the replay gave up and ran again (${calls} runs)`);
        strict_1.default.ok((0, yielding_1.cancelledForApplication)(db.pool) >= 1, 'the watch cancelled our statement');
        const { rows } = await db.pool.query(`select (select v from a) as a, (select v from b) as b`);
        strict_1.default.deepEqual(rows[0], { a: 11, b: 11 }, 'both transactions committed exactly once');
    }
    finally {
        await app.query('rollback').catch(() => undefined);
        ours.release();
        app.release();
    }
});
(0, node_test_1.test)('a replay waiting on a long application transaction retries until it is gone, then commits', async () => {
    const ours = await db.pool.connect();
    const app = await db.pool.connect();
    let calls = 0;
    try {
        await app.query('begin');
        await app.query('update a set v = 0 where id = 1');
        const replay = (0, yielding_1.runYielding)(ours, async (tx) => {
            calls += 1;
            await (0, yielding_1.yieldLocks)(tx); // as every replay batch does after its advisory lock
            await tx.query('update a set v = v + 5 where id = 1');
        }, { pool: db.pool, limit: 100 });
        await new Promise((r) => setTimeout(r, 3 * dt));
        await app.query('commit');
        await replay;
        strict_1.default.ok(calls >= 3, `gave the lock up and ran again (${calls} runs)`);
        const { rows } = await db.pool.query(`select v from a`);
        strict_1.default.equal(rows[0].v, 5);
    }
    finally {
        await app.query('rollback').catch(() => undefined);
        ours.release();
        app.release();
    }
});
(0, node_test_1.test)('a slow replay that blocks no one runs to the end', async () => {
    const ours = await db.pool.connect();
    let calls = 0;
    const before = (0, yielding_1.cancelledForApplication)(db.pool);
    try {
        await (0, yielding_1.runYielding)(ours, async (tx) => {
            calls += 1;
            await tx.query('update a set v = v + 1 where id = 1');
            await tx.query(`select pg_sleep($1)`, [(1.5 * dt) / 1000]);
        }, { pool: db.pool, limit: 10 });
        strict_1.default.equal(calls, 1);
        strict_1.default.equal((0, yielding_1.cancelledForApplication)(db.pool), before);
    }
    finally {
        ours.release();
    }
});
//# sourceMappingURL=yielding.test.js.map