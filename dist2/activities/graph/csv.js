"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.EDGE_COLUMNS = exports.NODE_COLUMNS = void 0;
exports.readCsv = readCsv;
exports.readCsvHeader = readCsvHeader;
exports.propertiesValue = propertiesValue;
const promises_1 = __importDefault(require("node:fs/promises"));
const errors_1 = require("../../common/errors");
const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
async function readCsv(file, offset, limit, readSize = 1 << 16) {
    const fh = await promises_1.default.open(file, 'r').catch((err) => {
        throw new errors_1.BadInputError(`cannot read CSV file ${file}: ${err.message}`);
    });
    try {
        const records = [];
        let record = [];
        let field = [];
        let inQuotes = false;
        let quoteSeen = false; // a quote inside a quoted field: either the closing one or the first of ""
        let fieldStarted = false;
        let pos = offset;
        let next = offset;
        const buf = Buffer.alloc(readSize);
        const endField = () => {
            record.push(Buffer.from(field).toString('utf8'));
            field = [];
            fieldStarted = false;
        };
        const endRecord = (at) => {
            endField();
            if (!(record.length === 1 && record[0] === ''))
                records.push(record);
            record = [];
            next = at;
        };
        for (;;) {
            const { bytesRead } = await fh.read(buf, 0, readSize, pos);
            if (bytesRead === 0)
                break;
            let start = 0;
            if (pos === 0 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf)
                start = 3;
            for (let i = start; i < bytesRead; i++) {
                const b = buf[i];
                if (quoteSeen) {
                    quoteSeen = false;
                    if (b === QUOTE) {
                        field.push(QUOTE);
                        continue;
                    }
                    inQuotes = false;
                }
                if (inQuotes) {
                    if (b === QUOTE)
                        quoteSeen = true;
                    else
                        field.push(b);
                }
                else if (b === COMMA)
                    endField();
                else if (b === LF) {
                    endRecord(pos + i + 1);
                    if (records.length >= limit)
                        return { records, next, eof: false };
                }
                else if (b === CR)
                    continue;
                else if (b === QUOTE && !fieldStarted && field.length === 0) {
                    inQuotes = true;
                    fieldStarted = true;
                }
                else
                    field.push(b);
            }
            pos += bytesRead;
        }
        if (inQuotes && !quoteSeen)
            throw new errors_1.BadInputError(`CSV file ${file}: unterminated quoted field near byte ${next}`);
        if (field.length > 0 || record.length > 0 || fieldStarted)
            endRecord(pos);
        return { records, next: pos, eof: true };
    }
    finally {
        await fh.close();
    }
}
/** The header's column positions; names are matched case-insensitively after trimming. */
async function readCsvHeader(file, columns) {
    const { records, next } = await readCsv(file, 0, 1);
    const header = (records[0] ?? []).map((h) => h.trim().toLowerCase());
    const index = {};
    const missing = [];
    for (const c of columns) {
        const at = header.indexOf(c);
        if (at < 0)
            missing.push(c);
        index[c] = at;
    }
    if (missing.length) {
        throw new errors_1.BadInputError(`CSV file ${file}: header lacks ${missing.join(', ')} (found: ${header.join(', ') || 'nothing'})`);
    }
    return { index, dataOffset: next };
}
exports.NODE_COLUMNS = ['chunk_id', 'entity_name', 'entity_type', 'properties'];
exports.EDGE_COLUMNS = ['source_chunk_id', 'target_chunk_id', 'relationship_type', 'properties'];
/**
 * The `properties` column as a value: JSON when it parses (the legacy exports wrote the map as
 * JSON), else the text itself; an empty field is absent, as LOAD CSV treats it.
 */
function propertiesValue(text) {
    if (text === undefined || text === '')
        return undefined;
    try {
        return JSON.parse(text);
    }
    catch {
        return text;
    }
}
//# sourceMappingURL=csv.js.map