import { createServer, type Server, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { type ConnectionOptions, connect } from 'node:tls';

/** What a client saw after a completed handshake. */
export interface Handshake {
  authorized: boolean;
  protocol: string | null;
  cipher: string;
  fingerprint256: string;
}

/** An HTTPS server on 127.0.0.1 and a free port that answers every request with "ok". */
export async function startHttpsServer(options: ServerOptions): Promise<{ server: Server; port: number }> {
  const server = createServer(options, (_req, res) => {
    res.end('ok');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}

export async function stopServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Opens one TLS connection to 127.0.0.1:port; rejects when the handshake or verification fails. */
export function handshake(port: number, options: ConnectionOptions = {}): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ...options });
    socket.once('secureConnect', () => {
      const result = {
        authorized: socket.authorized,
        protocol: socket.getProtocol(),
        cipher: socket.getCipher().name,
        fingerprint256: socket.getPeerCertificate().fingerprint256,
      };
      socket.end();
      resolve(result);
    });
    socket.once('error', (err) => {
      socket.destroy();
      reject(err);
    });
  });
}
