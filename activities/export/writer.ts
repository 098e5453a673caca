import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ExportedFile } from '../../common/export';

/**
 * One .jsonl file written batch by batch (never the whole table in memory) to `<name>.partial`,
 * hashed as it is written, then fsynced and renamed: a crashed or retried export never leaves a
 * half-written file under the final name. Mode 0600: exports hold the customers' texts.
 */
export class JsonlWriter {
  private readonly hash = createHash('sha256');
  private rows = 0;
  private bytes = 0;

  private constructor(
    private readonly dir: string,
    private readonly name: string,
    private readonly fh: fs.FileHandle,
  ) {}

  static async open(dir: string, name: string): Promise<JsonlWriter> {
    const fh = await fs.open(path.join(dir, `${name}.partial`), 'w', 0o600);
    await fh.chmod(0o600);
    return new JsonlWriter(dir, name, fh);
  }

  /** Lines that are already JSON text (from Postgres' row_to_json) or objects to serialise. */
  async write(lines: Array<string | unknown>): Promise<void> {
    if (lines.length === 0) return;
    const text = lines.map((l) => `${typeof l === 'string' ? l : JSON.stringify(l)}\n`).join('');
    this.hash.update(text);
    this.bytes += Buffer.byteLength(text);
    this.rows += lines.length;
    await this.fh.write(text);
  }

  get count(): number {
    return this.rows;
  }

  async close(): Promise<ExportedFile> {
    await this.fh.sync();
    await this.fh.close();
    await fs.rename(path.join(this.dir, `${this.name}.partial`), path.join(this.dir, this.name));
    return { file: this.name, rows: this.rows, bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  async abort(): Promise<void> {
    await this.fh.close().catch(() => undefined);
    await fs.rm(path.join(this.dir, `${this.name}.partial`), { force: true });
  }
}

/** Writes a small file atomically with mode 0600. */
export async function writeSmallFile(dir: string, name: string, content: string): Promise<string> {
  const tmp = path.join(dir, `${name}.partial`);
  const fh = await fs.open(tmp, 'w', 0o600);
  try {
    await fh.chmod(0o600);
    await fh.write(content);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.rename(tmp, path.join(dir, name));
  return createHash('sha256').update(content).digest('hex');
}
