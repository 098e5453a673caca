"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.createProcessDeployer = createProcessDeployer;
const node_child_process_1 = require("node:child_process");
const node_fs_1 = __importDefault(require("node:fs"));
const node_net_1 = __importDefault(require("node:net"));
const node_path_1 = __importDefault(require("node:path"));
const errors_1 = require("../errors");
const health_1 = require("./health");
const proc_1 = require("../proc");
const types_1 = require("./types");
const DEFAULT_COMMAND = [process.execPath, node_path_1.default.resolve(__dirname, '..', '..', '..', 'service', 'main.js')];
function portAnswers(port) {
    return new Promise((resolve) => {
        const s = node_net_1.default.connect({ host: '127.0.0.1', port }, () => s.end(() => resolve(true)));
        s.on('error', () => resolve(false));
    });
}
/** Runs instances as local processes, each in its own process group (what the tests use). */
function createProcessDeployer(opts) {
    const inherit = opts.inheritEnv ?? ['PATH', 'HOME', 'LANG', 'TZ', 'NODE_OPTIONS'];
    const file = (instance, ext) => node_path_1.default.join(opts.stateDir, `${(0, types_1.validInstance)(instance)}.${ext}`);
    const read = (instance) => {
        try {
            return JSON.parse(node_fs_1.default.readFileSync(file(instance, 'json'), 'utf8'));
        }
        catch {
            return null;
        }
    };
    const handleOf = (instance, s) => ({
        kind: 'process', instance, identity: s.identity, version: s.version, port: s.port, specHash: s.specHash, pid: s.pid, logFile: file(instance, 'log'),
    });
    const running = (h) => {
        const s = read(h.instance);
        return s !== null && s.pid === h.pid && (0, proc_1.isSameProcess)(s.pid, s.start);
    };
    const deployer = {
        kind: 'process',
        async deploy(spec) {
            node_fs_1.default.mkdirSync(opts.stateDir, { recursive: true });
            const hash = (0, health_1.specHash)(spec);
            const prev = read(spec.instance);
            if (prev && (0, proc_1.isSameProcess)(prev.pid, prev.start)) {
                if (prev.specHash !== hash) {
                    throw new errors_1.DeployConflictError(`${spec.instance} already runs (pid ${prev.pid}, port ${prev.port}) with another spec; stop it first`);
                }
                const handle = handleOf(spec.instance, prev);
                await deployer.waitHealthy(handle, { timeoutMs: 5000 });
                return handle;
            }
            if (await portAnswers(spec.port))
                throw new errors_1.DeployConflictError(`port ${spec.port} is already in use; pick another port for ${spec.instance}`);
            const env = {};
            for (const k of inherit)
                if (process.env[k] !== undefined)
                    env[k] = process.env[k];
            Object.assign(env, spec.env, { PORT: String(spec.port), STP_SERVICE_VERSION: spec.version, STP_INSTANCE: spec.instance });
            if (spec.config)
                env.STP_CONFIG_FILE = spec.config.file;
            const log = node_fs_1.default.openSync(file(spec.instance, 'log'), 'a');
            const [cmd, ...args] = spec.command ?? DEFAULT_COMMAND;
            const child = (0, node_child_process_1.spawn)(cmd, args, { detached: true, env, stdio: ['ignore', log, log] });
            node_fs_1.default.closeSync(log);
            const pid = await new Promise((resolve, reject) => {
                child.once('spawn', () => resolve(child.pid));
                child.once('error', reject);
            });
            child.unref();
            const state = { pid, start: (0, proc_1.processStart)(pid), specHash: hash, identity: spec.instance, version: spec.version, port: spec.port, startedAt: new Date().toISOString() };
            node_fs_1.default.writeFileSync(file(spec.instance, 'pid'), `${pid}\n`);
            node_fs_1.default.writeFileSync(file(spec.instance, 'json'), JSON.stringify(state, null, 2));
            return handleOf(spec.instance, state);
        },
        waitHealthy: (handle, wait) => (0, health_1.waitForHealth)(handle, async () => running(handle), () => `log ${handle.logFile}:\n${(0, proc_1.tail)(file(handle.instance, 'log'))}`, wait),
        async isRunning(handle) {
            return running(handle);
        },
        async stop(handle, { graceMs = 10_000 } = {}) {
            const s = read(handle.instance);
            if (s && s.pid === handle.pid && (0, proc_1.isSameProcess)(s.pid, s.start)) {
                (0, proc_1.killGroup)(s.pid, 'SIGTERM');
                if (!(await (0, proc_1.waitExit)(s.pid, s.start, graceMs))) {
                    (0, proc_1.killGroup)(s.pid, 'SIGKILL');
                    await (0, proc_1.waitExit)(s.pid, s.start, 5000);
                }
            }
            if (!s || s.pid === handle.pid) {
                for (const ext of ['pid', 'json'])
                    node_fs_1.default.rmSync(file(handle.instance, ext), { force: true });
            }
        },
        async rename(handle, instance) {
            const s = read(handle.instance);
            if (!s || s.pid !== handle.pid)
                throw new errors_1.DeployConflictError(`${handle.instance} (pid ${handle.pid}) is not deployed here`);
            const taken = read(instance);
            if (taken && (0, proc_1.isSameProcess)(taken.pid, taken.start)) {
                throw new errors_1.DeployConflictError(`${instance} is running; stop it before renaming ${handle.instance}`);
            }
            for (const ext of ['pid', 'json', 'log']) {
                if (node_fs_1.default.existsSync(file(handle.instance, ext)))
                    node_fs_1.default.renameSync(file(handle.instance, ext), file(instance, ext));
            }
            return handleOf(instance, s);
        },
    };
    return deployer;
}
//# sourceMappingURL=process.js.map