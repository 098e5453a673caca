"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.portIsFree = portIsFree;
exports.freePort = freePort;
exports.freePortRange = freePortRange;
const node_net_1 = __importDefault(require("node:net"));
/** True when host:port can be bound right now. */
function portIsFree(port, host = '127.0.0.1') {
    return new Promise((resolve) => {
        const server = node_net_1.default.createServer();
        server.once('error', () => resolve(false));
        server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
    });
}
/** A port the kernel considers free on loopback (bound then released). */
function freePort(host = '127.0.0.1') {
    return new Promise((resolve, reject) => {
        const server = node_net_1.default.createServer();
        server.once('error', reject);
        server.listen({ port: 0, host, exclusive: true }, () => {
            const { port } = server.address();
            server.close(() => resolve(port));
        });
    });
}
/**
 * A base port with `span` consecutive free ports, away from the well-known ones (7233, 8233), for
 * servers that derive further ports from the one they are given.
 */
async function freePortRange(span, host = '127.0.0.1') {
    for (let attempt = 0; attempt < 50; attempt++) {
        const base = 20_000 + Math.floor(Math.random() * 30_000);
        let ok = true;
        for (let p = base; p < base + span && ok; p++)
            ok = await portIsFree(p, host);
        if (ok)
            return base;
    }
    throw new Error(`no ${span} consecutive free loopback ports found`);
}
//# sourceMappingURL=ports.js.map