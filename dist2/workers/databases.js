"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.EnvPools = void 0;
const pg_1 = __importDefault(require("pg"));
const database_name_1 = require("../common/database-name");
const errors_1 = require("../common/errors");
const db_1 = require("../activities/db");
/**
 * Maps database names from workflow input to pools, from this process's environment only.
 * The URL (and its password) never leaves the worker.
 */
class EnvPools {
    env;
    pools = new Map();
    constructor(env = process.env) {
        this.env = env;
    }
    url(database) {
        const variable = (0, database_name_1.databaseUrlVariable)(database);
        const url = this.env[variable];
        if (!url) {
            throw new errors_1.UnknownDatabaseError(`unknown database "${database}": the worker has no ${variable} in its environment. ` +
                `Set ${variable}=postgres://USER@HOST:PORT/DBNAME for the worker process and restart it, ` +
                `or pass a database name the worker knows.`);
        }
        return url;
    }
    get(database) {
        let pool = this.pools.get(database);
        if (!pool) {
            // connectionTimeoutMillis: a server that accepts and never answers fails the attempt (retried)
            // instead of holding it forever; keepAlive: a peer gone without a word (failover) is noticed.
            pool = new pg_1.default.Pool({
                connectionString: this.url(database),
                max: 6,
                application_name: 'stp-upgrade',
                connectionTimeoutMillis: 30_000,
                keepAlive: true,
            });
            // A database restart or failover must fail only the statements in flight, never the process:
            // every client, idle or checked out, has an 'error' listener; broken clients are discarded.
            (0, db_1.guardPool)(pool);
            this.pools.set(database, pool);
        }
        return pool;
    }
    async close() {
        await Promise.all([...this.pools.values()].map((p) => p.end()));
        this.pools.clear();
    }
}
exports.EnvPools = EnvPools;
//# sourceMappingURL=databases.js.map