"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.seedLegacy = seedLegacy;
exports.describeSeed = describeSeed;
const pg_1 = __importDefault(require("pg"));
const generate_1 = require("../fixtures/generate");
/** Fills the embedded database with the legacy schema and data of fixtures/generate.ts, defects included. */
async function seedLegacy(url, opts, log) {
    const pool = new pg_1.default.Pool({ connectionString: url, max: 1 });
    pool.on('error', () => undefined).on('connect', (c) => c.on('error', () => undefined)); // never crash on a dropped connection
    pool.on('error', () => undefined);
    try {
        return await (0, generate_1.generateFixtures)(pool, { chunks: opts.chunks, dim: opts.dim, defects: true, seed: opts.seed, log: (l) => log(`  fixtures ${l}`) });
    }
    finally {
        await pool.end();
    }
}
function describeSeed(s) {
    const counts = Object.entries(s.counts).map(([t, n]) => `${t} ${n.toLocaleString('en-US')}`).join(', ');
    const defects = Object.entries(s.defects).filter(([, ids]) => ids.length > 0).map(([k, ids]) => `${k} ${ids.length}`).join(', ');
    const lines = [`legacy rows: ${counts}`];
    if (s.graph)
        lines.push(`legacy graph "${s.graph.name}": ${s.graph.vertices} vertices, ${s.graph.edges} edges`);
    lines.push(`injected defects: ${defects || 'none'}`);
    for (const n of s.notes)
        lines.push(`note: ${n}`);
    return lines;
}
//# sourceMappingURL=seed.js.map