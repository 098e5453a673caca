import pg from 'pg';
import { databaseUrlVariable } from '../common/database-name';
import { UnknownDatabaseError } from '../common/errors';
import { guardPool, type Pools } from '../activities/db';

/**
 * Maps database names from workflow input to pools, from this process's environment only.
 * The URL (and its password) never leaves the worker.
 */
export class EnvPools implements Pools {
  private readonly pools = new Map<string, pg.Pool>();

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  url(database: string): string {
    const variable = databaseUrlVariable(database);
    const url = this.env[variable];
    if (!url) {
      throw new UnknownDatabaseError(
        `unknown database "${database}": the worker has no ${variable} in its environment. ` +
          `Set ${variable}=postgres://USER@HOST:PORT/DBNAME for the worker process and restart it, ` +
          `or pass a database name the worker knows.`,
      );
    }
    return url;
  }

  get(database: string): pg.Pool {
    let pool = this.pools.get(database);
    if (!pool) {
      // connectionTimeoutMillis: a server that accepts and never answers fails the attempt (retried)
      // instead of holding it forever; keepAlive: a peer gone without a word (failover) is noticed.
      pool = new pg.Pool({
        connectionString: this.url(database),
        max: 6,
        application_name: 'stp-upgrade',
        connectionTimeoutMillis: 30_000,
        keepAlive: true,
      });
      // A database restart or failover must fail only the statements in flight, never the process:
      // every client, idle or checked out, has an 'error' listener; broken clients are discarded.
      guardPool(pool);
      this.pools.set(database, pool);
    }
    return pool;
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.end()));
    this.pools.clear();
  }
}
