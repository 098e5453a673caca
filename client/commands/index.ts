import type { Command } from '../command';
import { assessCommand } from './assess';
import { workerCommand } from './worker';

/** Every CLI command, in the order `stp-upgrade --help` lists them. */
export const commands: Command[] = [assessCommand, workerCommand];
