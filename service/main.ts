import pg from 'pg';
import { ConfigError, readConfig } from './config';
import { LruCache } from './lru';
import { RequestMetrics } from './metrics';
import type { App } from './routes';
import { createServer } from './server';
import type { Store } from './store';
import { createV1Store } from './v1';
import { createV2Store } from './v2';

/** Entry of the reference STP service: `node dist/service/main.js` with the env of config.ts. */
function log(event: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ at: new Date().toISOString(), event, ...fields })}\n`);
}

function main(): void {
  let config;
  try {
    config = readConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`stp-service: ${err.message}\n`);
    process.exit(2);
  }
  const pool = new pg.Pool({
    connectionString: config.databaseUrl,
    max: 10,
    connectionTimeoutMillis: 2000,
    application_name: `stp-service-${config.instance}`,
    // ivfflat indexes built by a migration on little data miss rows with the default single probe.
    options: '-c ivfflat.probes=10',
  });
  pool.on('error', (err) => log('pool_error', { error: err.message }));
  pool.on('connect', (c) => c.on('error', () => undefined)); // a checked-out client's dropped connection fails its query, not the service
  const fallbackDim = Number(process.env.STP_EMBEDDING_DIM ?? 384);
  const store: Store = config.version === '1'
    ? createV1Store(pool, config.tables, fallbackDim)
    : createV2Store(pool, config.tables, fallbackDim);
  const app: App = {
    config, store,
    cache: new LruCache(config.cacheSize),
    metrics: new RequestMetrics(),
    degrade: { slowMs: config.slowMs, errorRate: config.errorRate },
  };

  let closing = false;
  const server = createServer(app, () => closing);
  server.listen(config.port, config.host, () => {
    const address = server.address();
    log('listening', { port: typeof address === 'object' && address ? address.port : config.port,
      version: config.version, instance: config.instance, pid: process.pid });
  });
  server.on('error', (err) => {
    log('server_error', { error: err.message });
    process.exit(1);
  });

  // Graceful stop: refuse new connections, let in-flight requests finish, then exit.
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    log('stopping', { signal });
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    server.close(() => {
      clearInterval(idle);
      void pool.end().finally(() => {
        log('stopped');
        process.exit(0);
      });
    });
    server.closeIdleConnections();
    setTimeout(() => {
      log('shutdown_timeout', { grace_ms: config.shutdownGraceMs });
      server.closeAllConnections();
      process.exit(1);
    }, config.shutdownGraceMs).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main();
