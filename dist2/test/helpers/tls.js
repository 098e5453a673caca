"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.generatePki = generatePki;
exports.startGrpcTlsProxy = startGrpcTlsProxy;
const node_child_process_1 = require("node:child_process");
const node_fs_1 = __importDefault(require("node:fs"));
const node_http2_1 = __importDefault(require("node:http2"));
const node_path_1 = __importDefault(require("node:path"));
function openssl(args, cwd) {
    (0, node_child_process_1.execFileSync)('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}
function makeCa(dir, name) {
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.crt`], dir);
}
function makeLeaf(dir, ca, name, ext) {
    node_fs_1.default.writeFileSync(node_path_1.default.join(dir, `${name}.ext`), ext);
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`], dir);
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.crt`], dir);
}
/** Generates a fresh PKI under dir (openssl, a few hundred ms). */
function generatePki(dir) {
    node_fs_1.default.mkdirSync(dir, { recursive: true });
    makeCa(dir, 'ca');
    makeCa(dir, 'other-ca');
    makeLeaf(dir, 'ca', 'server', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
    makeLeaf(dir, 'ca', 'client', 'extendedKeyUsage=clientAuth\n');
    makeLeaf(dir, 'other-ca', 'other-client', 'extendedKeyUsage=clientAuth\n');
    const p = (f) => node_path_1.default.join(dir, f);
    return {
        dir,
        caCert: p('ca.crt'),
        serverCert: p('server.crt'),
        serverKey: p('server.key'),
        clientCert: p('client.crt'),
        clientKey: p('client.key'),
        otherCaCert: p('other-ca.crt'),
        otherClientCert: p('other-client.crt'),
        otherClientKey: p('other-client.key'),
    };
}
/**
 * A TLS-terminating gRPC proxy in front of a plaintext Temporal dev server (`temporal server
 * start-dev` has no TLS flags): HTTP/2 over TLS in, h2c out, every stream forwarded with its
 * headers, data and trailers. With `clientCa` it requires a client certificate signed by that CA
 * (mTLS). It records each call's request headers, so a test can see the `authorization` header.
 */
async function startGrpcTlsProxy(opts) {
    const upstream = node_http2_1.default.connect(`http://${opts.upstream}`);
    upstream.on('error', () => undefined);
    const calls = [];
    const server = node_http2_1.default.createSecureServer({
        cert: node_fs_1.default.readFileSync(opts.pki.serverCert),
        key: node_fs_1.default.readFileSync(opts.pki.serverKey),
        ...(opts.clientCa ? { ca: node_fs_1.default.readFileSync(opts.clientCa), requestCert: true, rejectUnauthorized: true } : {}),
    });
    server.on('stream', (down, headers) => {
        calls.push(headers);
        const forward = {};
        for (const [k, v] of Object.entries(headers))
            if (k !== ':scheme' && k !== ':authority')
                forward[k] = v;
        const up = upstream.request(forward);
        let trailers = {};
        up.on('response', (h) => {
            const out = strip(h);
            if (h['grpc-status'] !== undefined)
                down.respond(out, { endStream: true });
            else
                down.respond(out, { waitForTrailers: true });
        });
        up.on('trailers', (t) => (trailers = t));
        down.on('wantTrailers', () => down.sendTrailers(strip(trailers)));
        up.on('data', (chunk) => {
            if (!down.destroyed)
                down.write(chunk);
        });
        up.on('end', () => {
            if (!down.destroyed && !down.writableEnded && down.headersSent)
                down.end();
        });
        up.on('error', () => down.destroy());
        down.on('data', (chunk) => up.write(chunk));
        down.on('end', () => up.end());
        down.on('error', () => up.destroy());
        down.on('close', () => up.destroy());
    });
    const sockets = new Set();
    server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
    server.on('tlsClientError', () => undefined);
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address();
    return {
        address: `127.0.0.1:${port}`,
        calls,
        close: async () => {
            for (const s of sockets)
                s.destroy();
            await new Promise((resolve) => server.close(() => resolve()));
            upstream.close();
        },
    };
}
function strip(h) {
    const out = {};
    for (const [k, v] of Object.entries(h))
        if (k !== ':status' || v !== undefined)
            out[k] = v;
    return out;
}
//# sourceMappingURL=tls.js.map