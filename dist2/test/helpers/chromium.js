"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.HeadlessChromium = void 0;
const node_child_process_1 = require("node:child_process");
/**
 * Headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe: fd 3 to
 * the browser, fd 4 from it, NUL-separated JSON), so no WebSocket client is needed. Enough to open
 * a page, wait for text to appear and take a screenshot.
 */
class HeadlessChromium {
    child;
    nextId = 1;
    pending = new Map();
    buffer = '';
    constructor(child) {
        this.child = child;
        const from = child.stdio[4];
        from.setEncoding('utf8');
        from.on('data', (chunk) => {
            this.buffer += chunk;
            let i;
            while ((i = this.buffer.indexOf('\0')) >= 0) {
                const msg = JSON.parse(this.buffer.slice(0, i));
                this.buffer = this.buffer.slice(i + 1);
                const p = msg.id !== undefined ? this.pending.get(msg.id) : undefined;
                if (!p)
                    continue;
                this.pending.delete(msg.id);
                if (msg.error)
                    p.reject(new Error(msg.error.message));
                else
                    p.resolve(msg.result ?? {});
            }
        });
    }
    static launch(binary = process.env.CHROMIUM_PATH ?? 'chromium', size = '1400,1000') {
        const child = (0, node_child_process_1.spawn)(binary, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', `--window-size=${size}`, '--remote-debugging-pipe', 'about:blank'], {
            stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'],
        });
        return new HeadlessChromium(child);
    }
    get pid() {
        return this.child.pid;
    }
    send(method, params = {}, sessionId) {
        const id = this.nextId++;
        const to = this.child.stdio[3];
        return new Promise((resolve, reject) => {
            this.pending.set(id, { resolve, reject });
            to.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
        });
    }
    /** Opens url in a new page; resolves to the page's session id. */
    async open(url) {
        const { targetId } = (await this.send('Target.createTarget', { url }));
        const { sessionId } = (await this.send('Target.attachToTarget', { targetId, flatten: true }));
        return sessionId;
    }
    async text(sessionId) {
        const r = (await this.send('Runtime.evaluate', { expression: 'document.body ? document.body.innerText : ""', returnByValue: true }, sessionId));
        return r.result.value ?? '';
    }
    /** Polls the page's text until it includes `needle`; returns the text (which may lack it after timeoutMs). */
    async waitForText(sessionId, needle, timeoutMs) {
        const deadline = Date.now() + timeoutMs;
        let text = '';
        while (Date.now() < deadline) {
            text = await this.text(sessionId);
            if (text.includes(needle))
                return text;
            await new Promise((r) => setTimeout(r, 500));
        }
        return text;
    }
    async evaluate(sessionId, expression) {
        const r = (await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }, sessionId));
        return r.result.value;
    }
    async screenshot(sessionId) {
        const { data } = (await this.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true }, sessionId));
        return Buffer.from(data, 'base64');
    }
    async close() {
        await Promise.race([this.send('Browser.close').catch(() => undefined), new Promise((r) => setTimeout(r, 3000))]);
        if (this.child.exitCode === null)
            this.child.kill('SIGKILL');
    }
}
exports.HeadlessChromium = HeadlessChromium;
//# sourceMappingURL=chromium.js.map