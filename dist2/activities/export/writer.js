"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.JsonlWriter = void 0;
exports.writeSmallFile = writeSmallFile;
const node_crypto_1 = require("node:crypto");
const promises_1 = __importDefault(require("node:fs/promises"));
const node_path_1 = __importDefault(require("node:path"));
/**
 * One .jsonl file written batch by batch (never the whole table in memory) to `<name>.partial`,
 * hashed as it is written, then fsynced and renamed: a crashed or retried export never leaves a
 * half-written file under the final name. Mode 0600: exports hold the customers' texts.
 */
class JsonlWriter {
    dir;
    name;
    fh;
    hash = (0, node_crypto_1.createHash)('sha256');
    rows = 0;
    bytes = 0;
    constructor(dir, name, fh) {
        this.dir = dir;
        this.name = name;
        this.fh = fh;
    }
    static async open(dir, name) {
        const fh = await promises_1.default.open(node_path_1.default.join(dir, `${name}.partial`), 'w', 0o600);
        await fh.chmod(0o600);
        return new JsonlWriter(dir, name, fh);
    }
    /** Lines that are already JSON text (from Postgres' row_to_json) or objects to serialise. */
    async write(lines) {
        if (lines.length === 0)
            return;
        const text = lines.map((l) => `${typeof l === 'string' ? l : JSON.stringify(l)}\n`).join('');
        this.hash.update(text);
        this.bytes += Buffer.byteLength(text);
        this.rows += lines.length;
        await this.fh.write(text);
    }
    get count() {
        return this.rows;
    }
    async close() {
        await this.fh.sync();
        await this.fh.close();
        await promises_1.default.rename(node_path_1.default.join(this.dir, `${this.name}.partial`), node_path_1.default.join(this.dir, this.name));
        return { file: this.name, rows: this.rows, bytes: this.bytes, sha256: this.hash.digest('hex') };
    }
    async abort() {
        await this.fh.close().catch(() => undefined);
        await promises_1.default.rm(node_path_1.default.join(this.dir, `${this.name}.partial`), { force: true });
    }
}
exports.JsonlWriter = JsonlWriter;
/** Writes a small file atomically with mode 0600. */
async function writeSmallFile(dir, name, content) {
    const tmp = node_path_1.default.join(dir, `${name}.partial`);
    const fh = await promises_1.default.open(tmp, 'w', 0o600);
    try {
        await fh.chmod(0o600);
        await fh.write(content);
        await fh.sync();
    }
    finally {
        await fh.close();
    }
    await promises_1.default.rename(tmp, node_path_1.default.join(dir, name));
    return (0, node_crypto_1.createHash)('sha256').update(content).digest('hex');
}
//# sourceMappingURL=writer.js.map