import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * The typed search attributes of upgrade runs: what the Temporal UI's workflow list can show and
 * filter (`StpPhase = "rolling_back"`), and what `stp-upgrade list` reads. Registered on a
 * namespace by `stp-upgrade setup-namespace` (dev:up does it on the dev server). Pure.
 */
export const StpDatabase = defineSearchAttributeKey('StpDatabase', SearchAttributeType.KEYWORD);
export const StpPhase = defineSearchAttributeKey('StpPhase', SearchAttributeType.KEYWORD);
export const StpStep = defineSearchAttributeKey('StpStep', SearchAttributeType.KEYWORD);
export const StpRowsCopied = defineSearchAttributeKey('StpRowsCopied', SearchAttributeType.INT);
export const StpOutcome = defineSearchAttributeKey('StpOutcome', SearchAttributeType.KEYWORD);
export const StpSchemaVersion = defineSearchAttributeKey('StpSchemaVersion', SearchAttributeType.INT);

export const SEARCH_ATTRIBUTES = [StpDatabase, StpPhase, StpStep, StpRowsCopied, StpOutcome, StpSchemaVersion] as const;

/**
 * How a run ended, as the list shows it, so that a refused run, a rolled-back run and a failed
 * rollback are told apart (Temporal's own status says FAILED for all three).
 *   running     still open
 *   completed   every step done
 *   refused     stopped before changing anything (bad plan, defects under policy block, preflight)
 *   rolled_back failed, aborted or cancelled, and everything it changed was undone
 *   rollback_failed  the undo failed: what is left is in `stp-upgrade status ID`
 *   reverted    (a rollback workflow) a finished run undone by `stp-upgrade rollback`
 */
export const OUTCOMES = ['running', 'completed', 'refused', 'rolled_back', 'rollback_failed', 'reverted'] as const;
export type RunOutcome = (typeof OUTCOMES)[number];

/** `--search-attribute` flags of `temporal server start-dev`: dev, demo and fault-suite servers register them at start. */
export function startDevSearchAttributeFlags(): string[] {
  return SEARCH_ATTRIBUTES.flatMap((k) => ['--search-attribute', `${k.name}=${k.type === 'INT' ? 'Int' : 'Keyword'}`]);
}
