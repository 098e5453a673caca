import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

/**
 * The workflow code bundled once by `npm run build` instead of at every worker start: webpack takes
 * seconds of CPU there, and a worker restarted after a crash polls that much later. Two bundles,
 * without and with the failure converter of encrypted payloads (STP_CODEC_KEYS), as the worker
 * would have built them. Each records a hash of the compiled code it was built from; a worker whose
 * code no longer matches (a `tsc` without the bundle step, an edited file) bundles at start as
 * before, so a stale bundle is never run.
 */
const DIST = path.resolve(__dirname, '..');
const WORKFLOWS = require.resolve('../workflows');
const FAILURE_CONVERTER = require.resolve('../common/codec/failure-converter');

type Variant = 'plain' | 'codec';

/** A hash of every compiled module a bundle may contain (all of dist but tests, benches and the bundles). */
export function codeHash(root = DIST): string {
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (dir === root && ['test', 'bench', 'workflow-bundle'].includes(e.name)) continue;
        walk(p);
      } else if (e.name.endsWith('.js')) {
        h.update(path.relative(root, p)).update('\0').update(fs.readFileSync(p)).update('\0');
      }
    }
  };
  walk(root);
  return h.digest('hex');
}

/** The prebuilt bundle for this data converter, or undefined (none, or built from other code). */
export function prebuiltBundle(failureConverterPath: string | undefined, root = DIST): { code: string } | undefined {
  if (failureConverterPath !== undefined && failureConverterPath !== FAILURE_CONVERTER) return undefined;
  const variant: Variant = failureConverterPath ? 'codec' : 'plain';
  const out = path.join(root, 'workflow-bundle');
  try {
    const meta = JSON.parse(fs.readFileSync(path.join(out, `${variant}.json`), 'utf8')) as { hash?: string };
    if (meta.hash !== codeHash(root)) return undefined;
    return { code: fs.readFileSync(path.join(out, `${variant}.js`), 'utf8') };
  } catch {
    return undefined;
  }
}

export async function writeBundles(): Promise<void> {
  const out = path.join(DIST, 'workflow-bundle');
  fs.mkdirSync(out, { recursive: true });
  const hash = codeHash();
  for (const variant of ['plain', 'codec'] as const) {
    const { code } = await bundleWorkflowCode({
      workflowsPath: WORKFLOWS,
      ...(variant === 'codec' ? { failureConverterPath: FAILURE_CONVERTER } : {}),
      logger: { trace() {}, debug() {}, info() {}, warn: (m: string) => console.warn(m), error: (m: string) => console.error(m), log() {} },
    });
    fs.writeFileSync(path.join(out, `${variant}.js`), code);
    fs.writeFileSync(path.join(out, `${variant}.json`), JSON.stringify({ hash }));
  }
}

if (require.main === module) {
  writeBundles().catch((err: unknown) => {
    console.error(`workflow bundle: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
