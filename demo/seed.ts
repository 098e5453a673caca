import pg from 'pg';
import { generateFixtures, type FixtureSummary } from '../fixtures/generate';
import type { DemoOptions } from './context';

/** Fills the embedded database with the legacy schema and data of fixtures/generate.ts, defects included. */
export async function seedLegacy(url: string, opts: DemoOptions, log: (line: string) => void): Promise<FixtureSummary> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  pool.on('error', () => undefined).on('connect', (c) => c.on('error', () => undefined)); // never crash on a dropped connection
  pool.on('error', () => undefined);
  try {
    return await generateFixtures(pool, { chunks: opts.chunks, dim: opts.dim, defects: true, seed: opts.seed, log: (l) => log(`  fixtures ${l}`) });
  } finally {
    await pool.end();
  }
}

export function describeSeed(s: FixtureSummary): string[] {
  const counts = Object.entries(s.counts).map(([t, n]) => `${t} ${n.toLocaleString('en-US')}`).join(', ');
  const defects = Object.entries(s.defects).filter(([, ids]) => ids.length > 0).map(([k, ids]) => `${k} ${ids.length}`).join(', ');
  const lines = [`legacy rows: ${counts}`];
  if (s.graph) lines.push(`legacy graph "${s.graph.name}": ${s.graph.vertices} vertices, ${s.graph.edges} edges`);
  lines.push(`injected defects: ${defects || 'none'}`);
  for (const n of s.notes) lines.push(`note: ${n}`);
  return lines;
}
