import fs from 'node:fs/promises';
import { BadInputError } from '../../common/errors';

/**
 * A resumable RFC 4180 reader: records are read from a byte offset and the offset after the last
 * complete record is returned, so a batch (and a resume after a crash) starts exactly where the
 * previous committed batch ended without reading the file from the top. Works on bytes: the
 * separators are ASCII and never occur inside a UTF-8 multi-byte sequence.
 */
export interface CsvChunk {
  records: string[][];
  /** Byte offset just after the last returned record. */
  next: number;
  eof: boolean;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

export async function readCsv(file: string, offset: number, limit: number, readSize = 1 << 16): Promise<CsvChunk> {
  const fh = await fs.open(file, 'r').catch((err: NodeJS.ErrnoException) => {
    throw new BadInputError(`cannot read CSV file ${file}: ${err.message}`);
  });
  try {
    const records: string[][] = [];
    let record: string[] = [];
    let field: number[] = [];
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
    const endRecord = (at: number) => {
      endField();
      if (!(record.length === 1 && record[0] === '')) records.push(record);
      record = [];
      next = at;
    };
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, readSize, pos);
      if (bytesRead === 0) break;
      let start = 0;
      if (pos === 0 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
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
          if (b === QUOTE) quoteSeen = true;
          else field.push(b);
        } else if (b === COMMA) endField();
        else if (b === LF) {
          endRecord(pos + i + 1);
          if (records.length >= limit) return { records, next, eof: false };
        } else if (b === CR) continue;
        else if (b === QUOTE && !fieldStarted && field.length === 0) {
          inQuotes = true;
          fieldStarted = true;
        } else field.push(b);
      }
      pos += bytesRead;
    }
    if (inQuotes && !quoteSeen) throw new BadInputError(`CSV file ${file}: unterminated quoted field near byte ${next}`);
    if (field.length > 0 || record.length > 0 || fieldStarted) endRecord(pos);
    return { records, next: pos, eof: true };
  } finally {
    await fh.close();
  }
}

/** The header's column positions; names are matched case-insensitively after trimming. */
export async function readCsvHeader(
  file: string,
  columns: readonly string[],
): Promise<{ index: Record<string, number>; dataOffset: number }> {
  const { records, next } = await readCsv(file, 0, 1);
  const header = (records[0] ?? []).map((h) => h.trim().toLowerCase());
  const index: Record<string, number> = {};
  const missing: string[] = [];
  for (const c of columns) {
    const at = header.indexOf(c);
    if (at < 0) missing.push(c);
    index[c] = at;
  }
  if (missing.length) {
    throw new BadInputError(`CSV file ${file}: header lacks ${missing.join(', ')} (found: ${header.join(', ') || 'nothing'})`);
  }
  return { index, dataOffset: next };
}

export const NODE_COLUMNS = ['chunk_id', 'entity_name', 'entity_type', 'properties'] as const;
export const EDGE_COLUMNS = ['source_chunk_id', 'target_chunk_id', 'relationship_type', 'properties'] as const;

/**
 * The `properties` column as a value: JSON when it parses (the legacy exports wrote the map as
 * JSON), else the text itself; an empty field is absent, as LOAD CSV treats it.
 */
export function propertiesValue(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
