"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.NginxControl = void 0;
exports.nginxBinary = nginxBinary;
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const command_1 = require("../command");
const errors_1 = require("../errors");
const proc_1 = require("../proc");
/** `nginx` from PATH, else the Debian location. */
function nginxBinary() {
    for (const dir of (process.env.PATH ?? '').split(node_path_1.default.delimiter)) {
        const candidate = node_path_1.default.join(dir, 'nginx');
        try {
            node_fs_1.default.accessSync(candidate, node_fs_1.default.constants.X_OK);
            return candidate;
        }
        catch {
            /* not here */
        }
    }
    return '/usr/sbin/nginx';
}
/** Runs nginx commands against one configuration (`-c CONF -p PREFIX -e ERRORLOG`). */
class NginxControl {
    layout;
    bin;
    runner;
    constructor(layout, bin = nginxBinary(), runner = command_1.execRunner) {
        this.layout = layout;
        this.bin = bin;
        this.runner = runner;
    }
    args(...extra) {
        return [this.bin, ...extra, '-c', this.layout.conf, '-p', this.layout.prefix, '-e', this.layout.errorLog];
    }
    /** The master's pid when it runs, else null. */
    pid() {
        try {
            const pid = Number(node_fs_1.default.readFileSync(this.layout.pidFile, 'utf8').trim());
            return pid > 0 && (0, proc_1.isSameProcess)(pid, null) ? pid : null;
        }
        catch {
            return null;
        }
    }
    async test() {
        const argv = this.args('-t');
        const r = await this.runner(argv);
        if (r.code !== 0)
            throw new errors_1.NginxConfigError((0, command_1.describeFailure)(argv, r));
    }
    /** `nginx -s reload` when it runs, else starts it (nginx daemonizes; the master outlives us). */
    async reloadOrStart() {
        const running = this.pid() !== null;
        const argv = running ? this.args('-s', 'reload') : this.args();
        const r = await this.runner(argv);
        if (r.code !== 0)
            throw new errors_1.NginxCommandError((0, command_1.describeFailure)(argv, r));
        return running ? 'reloaded' : 'started';
    }
    /** Graceful `nginx -s quit`, then SIGKILL after graceMs; stopping a stopped nginx is fine. */
    async stop(graceMs = 5000) {
        const pid = this.pid();
        if (pid === null)
            return;
        await this.runner(this.args('-s', 'quit'));
        const deadline = Date.now() + graceMs;
        while ((0, proc_1.isSameProcess)(pid, null) && Date.now() < deadline)
            await new Promise((r) => setTimeout(r, 25));
        // The daemonized master leads its own process group; SIGKILL it with its workers.
        if ((0, proc_1.isSameProcess)(pid, null))
            (0, proc_1.killGroup)(pid, 'SIGKILL');
        node_fs_1.default.rmSync(this.layout.pidFile, { force: true });
    }
    /** `<module>` temp paths this nginx build knows (a module built without has no such directive). */
    async tempPathModules() {
        const r = await this.runner([this.bin, '-V']);
        const built = `${r.stdout}${r.stderr}`;
        return ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].filter((m) => m === 'client_body' || m === 'proxy' || !built.includes(`--without-http_${m}_module`));
    }
}
exports.NginxControl = NginxControl;
//# sourceMappingURL=nginx-control.js.map