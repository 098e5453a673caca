import crypto from 'node:crypto';
import fs from 'node:fs';
import { checkAppConfigFile, configFileOf } from '../../common/app-config-file';
import { BadInputError } from '../../common/errors';
import type { ReleasePlan, Side } from '../../common/release';

/**
 * plan.release.config on the worker: which config.yaml each side runs with (green the new one,
 * blue the old one), and the check of the new one before green is deployed (the runbook's
 * `--config-check`).
 */
export function instanceConfig(release: ReleasePlan, side: Side): { file: string; sha256: string } | undefined {
  const configured = side === 'green' ? release.config?.new : release.config?.old;
  if (!configured) return undefined;
  const file = configFileOf(configured);
  let sha256 = 'unreadable';
  try {
    sha256 = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    // reported by checkReleaseConfig (green) or by the service when it starts (blue)
  }
  return { file, sha256 };
}

/** Every problem of the new config.yaml, before green starts: BadInputError, not retried. */
export function checkReleaseConfig(release: ReleasePlan): { file: string; warnings: string[] } | undefined {
  if (!release.config) return undefined;
  const r = checkAppConfigFile(release.config.new);
  if (!r.ok) throw new BadInputError(invalidConfigMessage(r.file, r.errors, ', green was not deployed'));
  return { file: r.file, warnings: r.warnings };
}

/** The same check for preflight, before anything changes: the problem as one message, or undefined. */
export function releaseConfigProblem(release: ReleasePlan): string | undefined {
  if (!release.config) return undefined;
  const r = checkAppConfigFile(release.config.new);
  return r.ok ? undefined : invalidConfigMessage(r.file, r.errors, '');
}

function invalidConfigMessage(file: string, errors: string[], consequence: string): string {
  return `plan.release.config.new: ${file} is not a valid config.yaml${consequence}:\n  ${errors.join('\n  ')}\n` +
    `Fix it (\`stp-upgrade config check ${file}\`) and resume or start again.`;
}
