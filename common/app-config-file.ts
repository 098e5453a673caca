import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { type AppConfig, parseAppConfig } from './app-config';

/** The file name inside a configuration directory (/etc/semantic-text-processor/config.yaml). */
export const CONFIG_FILE_NAME = 'config.yaml';

export type AppConfigFileResult =
  | { ok: true; file: string; config: AppConfig; warnings: string[] }
  | { ok: false; file: string; errors: string[] };

/** A config.yaml path, or a configuration directory holding one. Not for workflow code (fs). */
export function configFileOf(fileOrDir: string): string {
  try {
    if (fs.statSync(fileOrDir).isDirectory()) return path.join(fileOrDir, CONFIG_FILE_NAME);
  } catch {
    // a missing path is reported by the reader, with its name
  }
  return fileOrDir;
}

/** Reads and validates a config.yaml (or the one in a directory), every problem with its path. */
export function checkAppConfigFile(fileOrDir: string): AppConfigFileResult {
  const file = configFileOf(fileOrDir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    return { ok: false, file, errors: [`cannot read ${file}: ${(err as Error).message}`] };
  }
  const doc = YAML.parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) return { ok: false, file, errors: doc.errors.map((e) => `${file}: not valid YAML: ${e.message}`) };
  const result = parseAppConfig(doc.toJS());
  return result.ok ? { ok: true, file, config: result.config, warnings: result.warnings } : { ok: false, file, errors: result.errors };
}
