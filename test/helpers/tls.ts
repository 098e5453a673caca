import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http2 from 'node:http2';
import type net from 'node:net';
import path from 'node:path';

/** PEM files made by openssl for one test: a CA, a server certificate for 127.0.0.1/localhost, clients. */
export interface TestPki {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A second, unrelated CA and a client certificate it signed (the server does not trust it). */
  otherCaCert: string;
  otherClientCert: string;
  otherClientKey: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function makeCa(dir: string, name: string): void {
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.crt`], dir);
}

function makeLeaf(dir: string, ca: string, name: string, ext: string): void {
  fs.writeFileSync(path.join(dir, `${name}.ext`), ext);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`], dir);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.crt`], dir);
}

/** Generates a fresh PKI under dir (openssl, a few hundred ms). */
export function generatePki(dir: string): TestPki {
  fs.mkdirSync(dir, { recursive: true });
  makeCa(dir, 'ca');
  makeCa(dir, 'other-ca');
  makeLeaf(dir, 'ca', 'server', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  makeLeaf(dir, 'ca', 'client', 'extendedKeyUsage=clientAuth\n');
  makeLeaf(dir, 'other-ca', 'other-client', 'extendedKeyUsage=clientAuth\n');
  const p = (f: string) => path.join(dir, f);
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

export interface GrpcProxy {
  address: string;
  /** The request headers of every gRPC call that went through, in order. */
  calls: http2.IncomingHttpHeaders[];
  close(): Promise<void>;
}

/**
 * A TLS-terminating gRPC proxy in front of a plaintext Temporal dev server (`temporal server
 * start-dev` has no TLS flags): HTTP/2 over TLS in, h2c out, every stream forwarded with its
 * headers, data and trailers. With `clientCa` it requires a client certificate signed by that CA
 * (mTLS). It records each call's request headers, so a test can see the `authorization` header.
 */
export async function startGrpcTlsProxy(opts: { upstream: string; pki: TestPki; clientCa?: string }): Promise<GrpcProxy> {
  const upstream = http2.connect(`http://${opts.upstream}`);
  upstream.on('error', () => undefined);
  const calls: http2.IncomingHttpHeaders[] = [];
  const server = http2.createSecureServer({
    cert: fs.readFileSync(opts.pki.serverCert),
    key: fs.readFileSync(opts.pki.serverKey),
    ...(opts.clientCa ? { ca: fs.readFileSync(opts.clientCa), requestCert: true, rejectUnauthorized: true } : {}),
  });
  server.on('stream', (down, headers) => {
    calls.push(headers);
    const forward: http2.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(headers)) if (k !== ':scheme' && k !== ':authority') forward[k] = v;
    const up = upstream.request(forward);
    let trailers: http2.IncomingHttpHeaders = {};
    up.on('response', (h) => {
      const out = strip(h);
      if (h['grpc-status'] !== undefined) down.respond(out, { endStream: true });
      else down.respond(out, { waitForTrailers: true });
    });
    up.on('trailers', (t) => (trailers = t));
    down.on('wantTrailers', () => down.sendTrailers(strip(trailers)));
    up.on('data', (chunk: Buffer) => {
      if (!down.destroyed) down.write(chunk);
    });
    up.on('end', () => {
      if (!down.destroyed && !down.writableEnded && down.headersSent) down.end();
    });
    up.on('error', () => down.destroy());
    down.on('data', (chunk: Buffer) => up.write(chunk));
    down.on('end', () => up.end());
    down.on('error', () => up.destroy());
    down.on('close', () => up.destroy());
  });
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    calls,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      upstream.close();
    },
  };
}

function strip(h: http2.IncomingHttpHeaders): http2.OutgoingHttpHeaders {
  const out: http2.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(h)) if (k !== ':status' || v !== undefined) out[k] = v;
  return out;
}
