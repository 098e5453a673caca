"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.keepExtendedQueriesWhole = keepExtendedQueriesWhole;
// Frontend messages of an extended-protocol query that leave it unfinished until Sync ('S'):
// Parse, Bind, Describe, Execute, Close, Flush.
const MID_QUERY = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map((c) => c.charCodeAt(0)));
const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);
/**
 * pglite-socket hands the single backend one protocol message at a time, from whichever
 * connection is next, and keeps a connection's turn only inside an explicit transaction. Two
 * connections running extended-protocol queries at once (the `pg` driver's parameterised queries:
 * Parse, Bind, Execute, Sync) then interleave on the shared unnamed statement ("bind message
 * supplies 1 parameters, but prepared statement "" requires 0"): the reference service under load
 * next to the worker hits it. This keeps the turn with a connection from its first message of such
 * a query until its Sync, and ends a query left half-sent by a connection that went away. Like a
 * transaction, a turn must not wait on another connection: a cursor read in chunks (Execute with a
 * row limit, Flush, ... Sync much later) would deadlock with a query on a second connection; the
 * project uses no cursors, and the worker and the service never wait on a second connection.
 * Returns false (and changes nothing) when the library's internals are not the expected ones.
 */
function keepExtendedQueriesWhole(server, db) {
    const q = server.queryQueue;
    if (!q || !Array.isArray(q.queue) || typeof q.processQueue !== 'function' || typeof q.clearTransactionIfNeeded !== 'function')
        return false;
    let midQuery = false;
    q.processQueue = async function processQueue() {
        if (this.processing || this.queue.length === 0)
            return;
        this.processing = true;
        try {
            while (this.queue.length > 0) {
                let item;
                if ((midQuery || db.isInTransaction()) && this.lastHandlerId !== null) {
                    // Only the connection that holds the turn may go on; the others wait for it.
                    const i = this.queue.findIndex((m) => m.handlerId === this.lastHandlerId);
                    if (i === -1)
                        break;
                    item = this.queue.splice(i, 1)[0];
                }
                else
                    item = this.queue.shift();
                const type = item.message[0];
                let bytes = 0;
                try {
                    await db.runExclusive(() => db.execProtocolRawStream(item.message, { onRawData: (d) => ((bytes += d.length), item.onData(d)) }));
                }
                catch (err) {
                    midQuery = false;
                    this.lastHandlerId = item.handlerId;
                    item.reject(err);
                    continue;
                }
                midQuery = MID_QUERY.has(type) ? true : type === SYNC[0] || type === 0x51 /* Q */ || type === 0 /* startup */ || type === 0x58 /* X */ ? false : midQuery;
                this.lastHandlerId = item.handlerId;
                item.resolve(bytes);
            }
        }
        finally {
            this.processing = false;
        }
    }.bind(q);
    const clear = q.clearTransactionIfNeeded.bind(q);
    q.clearTransactionIfNeeded = async (handlerId) => {
        if (midQuery && q.lastHandlerId === handlerId) {
            midQuery = false;
            await db.runExclusive(() => db.execProtocolRaw(SYNC)).catch(() => undefined);
        }
        await clear(handlerId);
        void q.processQueue();
    };
    return true;
}
//# sourceMappingURL=pglite-queue.js.map