"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const pg_1 = __importDefault(require("pg"));
const config_1 = require("./config");
const lru_1 = require("./lru");
const metrics_1 = require("./metrics");
const server_1 = require("./server");
const v1_1 = require("./v1");
const v2_1 = require("./v2");
/** Entry of the reference STP service: `node dist/service/main.js` with the env of config.ts. */
function log(event, fields = {}) {
    process.stdout.write(`${JSON.stringify({ at: new Date().toISOString(), event, ...fields })}\n`);
}
function main() {
    let config;
    try {
        config = (0, config_1.readConfig)();
    }
    catch (err) {
        if (!(err instanceof config_1.ConfigError))
            throw err;
        process.stderr.write(`stp-service: ${err.message}\n`);
        process.exit(2);
    }
    const pool = new pg_1.default.Pool({
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
    const store = config.version === '1'
        ? (0, v1_1.createV1Store)(pool, config.tables, fallbackDim)
        : (0, v2_1.createV2Store)(pool, config.tables, fallbackDim);
    const app = {
        config, store,
        cache: new lru_1.LruCache(config.cacheSize),
        metrics: new metrics_1.RequestMetrics(),
        degrade: { slowMs: config.slowMs, errorRate: config.errorRate },
    };
    let closing = false;
    const server = (0, server_1.createServer)(app, () => closing);
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
    const shutdown = (signal) => {
        if (closing)
            return;
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
//# sourceMappingURL=main.js.map