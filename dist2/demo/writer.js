"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.startWriter = startWriter;
exports.auditWrites = auditWrites;
const load_1 = require("./load");
/**
 * The live writer of the demo and the online tests (issue: "a writer through nginx"): an STP client
 * writing through the load balancer while the upgrade runs, with a ledger of what was acknowledged
 * and an audit that reads every acknowledged write back.
 */
const json = (r) => {
    try {
        return JSON.parse(r.body);
    }
    catch {
        return {};
    }
};
const LINES = ['Introduction', '  Background of the work', '    Details of the method', '  Results', 'Conclusion'];
/**
 * A writer like an STP client through the load balancer, about `ratePerSec` requests a second until
 * stop(), maxMs or maxRequests: 70 % POST /texts with indented multi-line content, 10 % DELETE of
 * one of its own earlier texts, 20 % POST /templates. Only acknowledged (2xx) writes enter the ledger.
 */
function startWriter(base, opts = {}) {
    const ledger = { texts: new Map(), deleted: new Set(), templates: new Map(), writes: 0, failed: 0, failures: [] };
    const until = Date.now() + (opts.maxMs ?? 60_000);
    const max = opts.maxRequests ?? 5000;
    const gap = 1000 / (opts.ratePerSec ?? 8);
    let stopped = false;
    const fail = (why) => {
        ledger.failed++;
        if (ledger.failures.length < 20)
            ledger.failures.push(why);
    };
    const loop = (async () => {
        for (let i = 0; !stopped && Date.now() < until && ledger.writes + ledger.failed < max; i++) {
            const started = Date.now();
            const dice = i % 10;
            try {
                if (dice === 9 && ledger.texts.size > 0) {
                    const id = [...ledger.texts.keys()][Math.floor(ledger.texts.size / 2)];
                    const r = await (0, load_1.request)(base, 'DELETE', `/api/v1/texts/${id}`);
                    if (r.status !== 200)
                        fail(`DELETE HTTP ${r.status} from ${r.instance}: ${r.body.slice(0, 200)}`);
                    else {
                        ledger.texts.delete(id);
                        ledger.deleted.add(id);
                        ledger.writes++;
                    }
                }
                else if (dice === 2 || dice === 6) {
                    const slots = 1 + (i % 3);
                    const r = await (0, load_1.request)(base, 'POST', '/api/v1/templates', { template_name: `tpl ${i}`, slot_names: Array.from({ length: slots }, (_, k) => `slot_${k}`) });
                    if (r.status !== 201)
                        fail(`POST /templates HTTP ${r.status} from ${r.instance}: ${r.body.slice(0, 200)}`);
                    else {
                        ledger.templates.set(json(r).template_id, { slots, by: r.instance });
                        ledger.writes++;
                    }
                }
                else {
                    const lines = LINES.slice(0, 2 + (i % 4)).map((l) => `${l} ${i}`);
                    const r = await (0, load_1.request)(base, 'POST', '/api/v1/texts', { title: `live ${i}`, content: lines.join('\n') });
                    if (r.status !== 201)
                        fail(`POST /texts HTTP ${r.status} from ${r.instance}: ${r.body.slice(0, 200)}`);
                    else {
                        ledger.texts.set(json(r).id, { chunks: Number(json(r).chunk_count ?? lines.length), by: r.instance });
                        ledger.writes++;
                    }
                }
            }
            catch (err) {
                fail(`write: ${err.message}`);
            }
            const wait = gap - (Date.now() - started);
            if (wait > 0)
                await new Promise((r) => setTimeout(r, wait));
        }
    })();
    return {
        ledger,
        async stop() {
            stopped = true;
            await loop;
            return ledger;
        },
    };
}
/**
 * Reads every acknowledged write back through `base`: each owned text with all its chunks, each
 * deleted text gone, each template listed with its slots. Returns what is missing or wrong.
 */
async function auditWrites(base, ledger) {
    const problems = [];
    for (const [id, t] of ledger.texts) {
        const r = await (0, load_1.request)(base, 'GET', `/api/v1/texts/${id}`);
        const n = r.status === 200 ? (json(r).chunks?.length ?? 0) : 0;
        if (r.status !== 200)
            problems.push(`text ${id} (written via ${t.by}): HTTP ${r.status}`);
        else if (n !== t.chunks)
            problems.push(`text ${id} (written via ${t.by}): ${n} chunks, expected ${t.chunks}`);
    }
    for (const id of ledger.deleted) {
        const r = await (0, load_1.request)(base, 'GET', `/api/v1/texts/${id}`);
        if (r.status !== 404)
            problems.push(`deleted text ${id} is back (HTTP ${r.status})`);
    }
    const list = await (0, load_1.request)(base, 'GET', '/api/v1/templates');
    const listed = new Map((json(list).templates ?? []).map((t) => [t.template_id, t.slots.length]));
    for (const [id, t] of ledger.templates) {
        if (!listed.has(id))
            problems.push(`template ${id} (written via ${t.by}) is missing`);
        else if (listed.get(id) !== t.slots)
            problems.push(`template ${id}: ${listed.get(id)} slots, expected ${t.slots}`);
    }
    return problems;
}
//# sourceMappingURL=writer.js.map