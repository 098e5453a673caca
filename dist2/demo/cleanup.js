"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Cleanup = void 0;
class Cleanup {
    log;
    stops = [];
    exitHooks = [];
    running;
    /** Set once SIGINT/SIGTERM arrived: the exit code the process ends with, whatever else fails. */
    signalExitCode;
    /** When set, a signal ends the process with this code (--keep: Ctrl-C after a passed demo is success). */
    exitCodeOnSignal;
    constructor(log = () => undefined) {
        this.log = log;
        // While servers go down, clients still connected to them emit errors nobody awaits any more
        // (a pg client checked out by a query the signal interrupted): expected, not a crash.
        process.on('uncaughtException', (err) => {
            if (this.running)
                return;
            console.error(err);
            process.exit(1);
        });
        process.on('exit', () => {
            for (const hook of this.exitHooks.splice(0).reverse()) {
                try {
                    hook();
                }
                catch {
                    // already gone
                }
            }
        });
    }
    add(name, stop, onExit) {
        this.stops.push({ name, stop });
        if (onExit)
            this.exitHooks.push(onExit);
    }
    /** Stops everything (each bounded by timeoutMs); later calls wait for the first. */
    run(timeoutMs = 20_000) {
        this.running ??= (async () => {
            for (const s of this.stops.splice(0).reverse()) {
                let timer;
                const timeout = new Promise((resolve) => {
                    timer = setTimeout(() => {
                        this.log(`stopping ${s.name}: no answer within ${timeoutMs / 1000} s, moving on`);
                        resolve();
                    }, timeoutMs);
                });
                try {
                    await Promise.race([s.stop(), timeout]);
                }
                catch (err) {
                    this.log(`stopping ${s.name} failed: ${err.message}`);
                }
                finally {
                    clearTimeout(timer);
                }
            }
        })();
        return this.running;
    }
    /** On SIGINT/SIGTERM: stop everything, then exit with 130/143. A second signal exits at once. */
    onSignals(before) {
        let seen = false;
        for (const signal of ['SIGINT', 'SIGTERM']) {
            process.on(signal, () => {
                const code = this.exitCodeOnSignal ?? (signal === 'SIGINT' ? 130 : 143);
                if (seen)
                    process.exit(code);
                seen = true;
                this.signalExitCode = code;
                before?.(signal);
                void this.run().finally(() => process.exit(code));
            });
        }
    }
}
exports.Cleanup = Cleanup;
//# sourceMappingURL=cleanup.js.map