"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.classifyConnectFailure = classifyConnectFailure;
exports.connectFailureText = connectFailureText;
exports.probeTls = probeTls;
const node_tls_1 = __importDefault(require("node:tls"));
const PATTERNS = [
    ['keyMismatch', /KEY_VALUES_MISMATCH|key values mismatch|InconsistentKeys|KeyMismatch/i],
    ['notPem', /no start line|NoCertificatesPresented|PEM routines|NoPrivateKey|no private key/i],
    ['serverName', /NotValidForName|ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate's altnames/i],
    ['serverUntrusted', /UnknownIssuer|self[- ]signed|unable to (verify|get local issuer)|UNABLE_TO_VERIFY|certificate verify failed/i],
    ['clientCertRequired', /CertificateRequired|certificate required|alert number 116/i],
    ['clientCertRejected', /unknown ca|bad certificate|alert number 4[28]|closed the connection after the handshake|peer closed connection without sending TLS close_notify/i],
    ['serverNotTls', /InvalidContentType|wrong version number|packet length too long|ERR_SSL_WRONG_VERSION_NUMBER/i],
    ['unauthenticated', /UNAUTHENTICATED|PERMISSION_DENIED|Request unauthorized|invalid API key/i],
];
/** Classifies a connection error by its message (the SDK's, Node's TLS or the native core's). */
function classifyConnectFailure(err) {
    const text = `${err?.code ?? ''} ${err?.message ?? String(err)}`;
    const code = err?.code;
    if (code === 16 || code === 7)
        return 'unauthenticated';
    for (const [kind, re] of PATTERNS)
        if (re.test(text))
            return kind;
    return 'unreachable';
}
/** The fix, naming the setting (environment variable, and the key of the TOML profile). */
function fix(kind, s) {
    switch (kind) {
        case 'serverUntrusted':
            return 'the server\'s certificate is not signed by a CA this process trusts: set TEMPORAL_TLS_SERVER_CA_CERT_PATH (tls.server_ca_cert_path) to the PEM of the CA that signed it (leave it unset for Temporal Cloud and other servers with a public certificate)';
        case 'serverName':
            return `the server's certificate is not valid for the name used: set TEMPORAL_TLS_SERVER_NAME (tls.server_name) to a name in the certificate, or TEMPORAL_ADDRESS to that name instead of ${s.address}`;
        case 'clientCertRequired':
            return 'the server requires a client certificate (mTLS): set TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH (tls.client_cert_path, tls.client_key_path) to your certificate and its key';
        case 'clientCertRejected':
            return 'the server refused the client certificate: TEMPORAL_TLS_CLIENT_CERT_PATH (tls.client_cert_path) must be signed by a CA the server (or the Temporal Cloud namespace) accepts, and TEMPORAL_TLS_CLIENT_KEY_PATH must be its key';
        case 'keyMismatch':
            return 'the client key does not belong to the client certificate: TEMPORAL_TLS_CLIENT_KEY_PATH (tls.client_key_path) must be the private key of TEMPORAL_TLS_CLIENT_CERT_PATH';
        case 'notPem':
            return 'a certificate or key file is not PEM: TEMPORAL_TLS_CLIENT_CERT_PATH, TEMPORAL_TLS_CLIENT_KEY_PATH and TEMPORAL_TLS_SERVER_CA_CERT_PATH must name PEM files ("-----BEGIN …")';
        case 'serverNotTls':
            return `the server at ${s.address} does not speak TLS: unset TEMPORAL_TLS and the TEMPORAL_TLS_* variables (and TEMPORAL_API_KEY, which turns TLS on), or fix TEMPORAL_ADDRESS to the TLS port`;
        case 'serverNeedsTls':
            return `the server at ${s.address} speaks TLS: set TEMPORAL_TLS=true (tls = {} in the profile), with TEMPORAL_TLS_SERVER_CA_CERT_PATH if its certificate is not public`;
        case 'unauthenticated':
            return 'the server refused our credentials: check TEMPORAL_API_KEY (api_key) or the client certificate, and that it grants access to namespace ' + `"${s.namespace}"`;
        case 'unreachable':
            return 'start it with `npm run dev:up`, or set TEMPORAL_ADDRESS to your server\'s host:port (and TEMPORAL_NAMESPACE if it is not "default"; TEMPORAL_PROFILE and TEMPORAL_CONFIG_FILE to use a profile of temporal.toml)';
    }
}
/** One paragraph: what failed, the setting to fix, and the underlying message (never a secret value). */
function connectFailureText(err, settings, kind = classifyConnectFailure(err)) {
    return (`cannot reach the Temporal server at ${settings.address} (${settings.security}, settings from ${settings.source}): ` +
        `${fix(kind, settings)}. (${oneLine(err?.message ?? String(err))})`);
}
function oneLine(s) {
    return s.replace(/\s+/g, ' ').trim();
}
/**
 * The client library only says "Failed to connect before the deadline" when TLS fails. A plain
 * TLS handshake with the same settings tells why (unknown CA, wrong name, client certificate
 * refused, a server that does not speak TLS), or, for plaintext settings, whether the server
 * wants TLS. Resolves to the kind, or undefined when the handshake tells nothing.
 */
async function probeTls(settings, timeoutMs = 3000) {
    const [host, portText] = splitAddress(settings.address);
    const t = settings.connection.tls;
    const cfg = typeof t === 'object' ? t : {};
    const usesTls = !!t;
    const options = {
        host,
        port: Number(portText),
        ALPNProtocols: ['h2'],
        rejectUnauthorized: usesTls,
        ...(cfg.serverNameOverride ? { servername: cfg.serverNameOverride } : {}),
        ...(cfg.serverRootCACertificate ? { ca: Buffer.from(cfg.serverRootCACertificate) } : {}),
        ...(cfg.clientCertPair ? { cert: Buffer.from(cfg.clientCertPair.crt), key: Buffer.from(cfg.clientCertPair.key) } : {}),
    };
    if (cfg.serverNameOverride) {
        // Node checks the certificate against the SNI name only when told to.
        options.checkServerIdentity = (_host, cert) => node_tls_1.default.checkServerIdentity(cfg.serverNameOverride, cert);
    }
    const outcome = await new Promise((resolve) => {
        let socket;
        try {
            socket = node_tls_1.default.connect(options);
        }
        catch (err) {
            resolve({ ok: false, detail: err.message });
            return;
        }
        const timer = setTimeout(() => (socket.destroy(), resolve({ ok: false, detail: 'no TLS answer' })), timeoutMs);
        const done = (r) => {
            clearTimeout(timer);
            socket.destroy();
            resolve(r);
        };
        socket.on('error', (err) => done({ ok: false, detail: `${err.code ?? ''} ${err.message}` }));
        socket.on('secureConnect', () => {
            // TLS 1.3: a server that refuses our certificate says so just after the handshake.
            setTimeout(() => done({ ok: true, detail: 'handshake ok' }), 300);
            socket.on('close', () => done({ ok: false, detail: 'the server closed the connection after the handshake' }));
        });
    });
    if (!usesTls)
        return outcome.ok ? { kind: 'serverNeedsTls', detail: 'a TLS handshake with the server succeeds' } : undefined;
    if (outcome.ok || /ECONNREFUSED|no TLS answer|ENOTFOUND|EHOSTUNREACH/.test(outcome.detail))
        return undefined;
    const kind = classifyConnectFailure(new Error(outcome.detail));
    return kind === 'unreachable' ? undefined : { kind, detail: outcome.detail };
}
function splitAddress(address) {
    const i = address.lastIndexOf(':');
    return i < 0 ? [address, '7233'] : [address.slice(0, i).replace(/^\[|\]$/g, ''), address.slice(i + 1)];
}
//# sourceMappingURL=connect-errors.js.map