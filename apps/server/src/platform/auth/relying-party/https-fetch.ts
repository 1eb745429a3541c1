import https from 'node:https';
import net, { type LookupFunction } from 'node:net';
import tls from 'node:tls';

export interface HttpsFetchOptions {
  /** PEM of an extra CA to trust (tests, private issuers); the system's CAs stay trusted too. */
  caPem?: string;
  /**
   * Resolves host names for the socket: pass a guard that refuses private addresses. Node does not look
   * up an IP-literal host, so such a host is put to the same guard before connecting.
   */
  lookup?: LookupFunction;
  /** Responses larger than this are refused; discovery documents and JWKS are small. */
  maxResponseBytes?: number;
  timeoutMs?: number;
}

export interface HttpsFetchInit {
  method?: string;
  headers?: Record<string, string> | Headers;
  body?: string | URLSearchParams | ArrayBuffer | Uint8Array | ReadableStream | null;
  signal?: AbortSignal | null;
  redirect?: 'manual';
}

export type HttpsFetch = (url: string | URL, init?: HttpsFetchInit) => Promise<Response>;

/**
 * A fetch for identity-provider calls over node:https, because Node 20's global fetch cannot be told
 * which CA to trust. HTTPS only, certificate always verified, redirects never followed.
 */
export function createHttpsFetch(options: HttpsFetchOptions = {}): HttpsFetch {
  const ca = options.caPem ? [...tls.rootCertificates, options.caPem] : undefined;
  const maxBytes = options.maxResponseBytes ?? 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 15_000;

  return (input, init = {}) => {
    const url = new URL(input);
    if (url.protocol !== 'https:') {
      return Promise.reject(new TypeError(`Refusing a non-HTTPS request to ${url.origin}`));
    }
    const headers = new Headers(init.headers);
    if (init.body instanceof ReadableStream) {
      return Promise.reject(new TypeError('Streamed request bodies are not supported'));
    }
    const body = bodyBytes(init.body);
    if (body && init.body instanceof URLSearchParams && !headers.has('content-type')) {
      headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8');
    }
    if (body) headers.set('content-length', String(body.length));

    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    const checked = options.lookup && net.isIP(host) ? checkLiteral(options.lookup, host) : Promise.resolve();
    return checked.then(
      () =>
        new Promise<Response>((resolve, reject) => {
          const request = https.request(
            url,
            {
              method: init.method ?? 'GET',
              headers: Object.fromEntries(headers.entries()),
              ca,
              rejectUnauthorized: true,
              minVersion: 'TLSv1.2',
              agent: false,
              lookup: options.lookup,
              signal: init.signal ?? undefined,
              timeout: timeoutMs,
            },
            (response) => {
              const chunks: Buffer[] = [];
              let size = 0;
              let tooLarge = false;
              response.on('data', (chunk: Buffer) => {
                size += chunk.length;
                if (size > maxBytes) {
                  tooLarge = true;
                  reject(new Error(`Response from ${url.origin} is larger than ${maxBytes} bytes`));
                  request.destroy();
                  return;
                }
                chunks.push(chunk);
              });
              response.on('error', reject);
              response.on('end', () => {
                if (tooLarge) return;
                const status = response.statusCode ?? 502;
                const responseHeaders = new Headers();
                for (const [name, value] of Object.entries(response.headers)) {
                  if (Array.isArray(value)) for (const item of value) responseHeaders.append(name, item);
                  else if (value !== undefined) responseHeaders.set(name, value);
                }
                const noBody = status === 204 || status === 304 || (init.method ?? 'GET') === 'HEAD';
                resolve(
                  new Response(noBody ? null : Buffer.concat(chunks), {
                    status,
                    statusText: response.statusMessage,
                    headers: responseHeaders,
                  }),
                );
              });
            },
          );
          request.on('timeout', () =>
            request.destroy(new Error(`No answer from ${url.origin} in ${timeoutMs} ms`)),
          );
          request.on('error', reject);
          request.end(body);
        }),
    );
  };
}

/** Runs an IP-literal host through the lookup guard, which Node would skip. */
function checkLiteral(lookup: LookupFunction, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    lookup(address, { all: true }, (error) => (error ? reject(error) : resolve()));
  });
}

function bodyBytes(body: string | URLSearchParams | ArrayBuffer | Uint8Array | null | undefined) {
  if (body == null) return undefined;
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return Buffer.from(body.toString());
}
