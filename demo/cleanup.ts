/**
 * Everything the demo starts registers how to stop it here. Stops run in reverse order once, on
 * success, on failure and on SIGINT/SIGTERM; `onExit` hooks are synchronous last resorts (kill a
 * child process group) that also run when the process exits without reaching the async stops.
 */
type Stop = { name: string; stop: () => Promise<void> };

export class Cleanup {
  private readonly stops: Stop[] = [];
  private readonly exitHooks: (() => void)[] = [];
  private running: Promise<void> | undefined;
  /** Set once SIGINT/SIGTERM arrived: the exit code the process ends with, whatever else fails. */
  signalExitCode: number | undefined;
  /** When set, a signal ends the process with this code (--keep: Ctrl-C after a passed demo is success). */
  exitCodeOnSignal: number | undefined;

  constructor(private readonly log: (line: string) => void = () => undefined) {
    // While servers go down, clients still connected to them emit errors nobody awaits any more
    // (a pg client checked out by a query the signal interrupted): expected, not a crash.
    process.on('uncaughtException', (err) => {
      if (this.running) return;
      console.error(err);
      process.exit(1);
    });
    process.on('exit', () => {
      for (const hook of this.exitHooks.splice(0).reverse()) {
        try {
          hook();
        } catch {
          // already gone
        }
      }
    });
  }

  add(name: string, stop: () => Promise<void>, onExit?: () => void): void {
    this.stops.push({ name, stop });
    if (onExit) this.exitHooks.push(onExit);
  }

  /** Stops everything (each bounded by timeoutMs); later calls wait for the first. */
  run(timeoutMs = 20_000): Promise<void> {
    this.running ??= (async () => {
      for (const s of this.stops.splice(0).reverse()) {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            this.log(`stopping ${s.name}: no answer within ${timeoutMs / 1000} s, moving on`);
            resolve();
          }, timeoutMs);
        });
        try {
          await Promise.race([s.stop(), timeout]);
        } catch (err) {
          this.log(`stopping ${s.name} failed: ${(err as Error).message}`);
        } finally {
          clearTimeout(timer);
        }
      }
    })();
    return this.running;
  }

  /** On SIGINT/SIGTERM: stop everything, then exit with 130/143. A second signal exits at once. */
  onSignals(before?: (signal: NodeJS.Signals) => void): void {
    let seen = false;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => {
        const code = this.exitCodeOnSignal ?? (signal === 'SIGINT' ? 130 : 143);
        if (seen) process.exit(code);
        seen = true;
        this.signalExitCode = code;
        before?.(signal);
        void this.run().finally(() => process.exit(code));
      });
    }
  }
}
