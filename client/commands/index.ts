import type { Command } from '../command';
import { assessCommand } from './assess';
import { exportCommand } from './export';
import { workerCommand } from './worker';
import { planCheckCommand } from './plan-check';
import { startCommand } from './start';
import { statusCommand } from './status';
import { watchCommand } from './watch';
import { pauseCommand } from './pause';
import { resumeCommand } from './resume';
import { abortCommand } from './abort';
import { verifyCommand } from './verify';
import { approveCommand } from './approve';
import { promoteCommand } from './promote';
import { rollbackCommand } from './rollback';
import { listCommand } from './list';
import { defectsCommand } from './defects';
import { throttleCommand } from './throttle';
import { setupNamespaceCommand } from './setup-namespace';
import { codecServerCommand } from './codec-server';
import { configCheckCommand } from './config-check';
import { configMigrateCommand } from './config-migrate';
import { serveCommand } from './serve';

/** Every CLI command, in the order `stp-upgrade --help` lists them: one per line, to add one easily. */
export const commands: Command[] = [
  assessCommand,
  workerCommand,
  setupNamespaceCommand,
  planCheckCommand,
  startCommand,
  listCommand,
  statusCommand,
  watchCommand,
  pauseCommand,
  resumeCommand,
  throttleCommand,
  abortCommand,
  approveCommand,
  promoteCommand,
  rollbackCommand,
  verifyCommand,
  defectsCommand,
  exportCommand,
  configCheckCommand,
  configMigrateCommand,
  serveCommand,
  codecServerCommand,
];
