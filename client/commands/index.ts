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
import { codecServerCommand } from './codec-server';
import { configCheckCommand } from './config-check';
import { configMigrateCommand } from './config-migrate';
import { serveCommand } from './serve';

/** Every CLI command, in the order `stp-upgrade --help` lists them. */
export const commands: Command[] = [assessCommand, workerCommand, planCheckCommand, startCommand, statusCommand, watchCommand, pauseCommand, resumeCommand, abortCommand, approveCommand, promoteCommand, rollbackCommand, verifyCommand, exportCommand,
  configCheckCommand,
  configMigrateCommand,
  serveCommand,
  codecServerCommand,
];
