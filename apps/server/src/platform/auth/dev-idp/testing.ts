import { request as httpsRequest } from 'node:https';

/** For tests: a fetch that trusts one CA (Node 20's fetch takes no CA option) and never follows redirects. */
export type TrustingFetch = (
  url: string | URL,
  init?: {
    method?: string;
    headers?: Record<string, string> | Headers;
    body?: string | URLSearchParams | Uint8Array | ArrayBuffer | null | unknown;
  },
) => Promise<Response>;

function bodyBytes(body: unknown): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof URLSearchParams) return Buffer.from(body.toString());
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (body instanceof ArrayBuffer) return Buffer.from(new Uint8Array(body));
  throw new TypeError('unsupported request body in the test fetch');
}

export function trustingFetch(caPem: string): TrustingFetch {
  return (url, init = {}) =>
    new Promise((resolve, reject) => {
      const headers = new Headers(init.headers);
      const body = bodyBytes(init.body);
      if (body && init.body instanceof URLSearchParams && !headers.has('content-type')) {
        headers.set('content-type', 'application/x-www-form-urlencoded');
      }
      if (body) headers.set('content-length', String(body.length));
      const req = httpsRequest(
        new URL(url),
        { method: init.method ?? 'GET', headers: Object.fromEntries(headers), ca: caPem },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const out = new Headers();
            for (let i = 0; i < res.rawHeaders.length; i += 2)
              out.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
            const status = res.statusCode ?? 500;
            const payload = [204, 205, 304].includes(status) ? null : Buffer.concat(chunks);
            resolve(new Response(payload, { status, headers: out }));
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}

interface Cookie {
  name: string;
  value: string;
  path: string;
}

/** A browser stand-in: a cookie jar (name + path), manual redirects, form posts. */
export class TestBrowser {
  readonly #fetch: TrustingFetch;
  readonly #cookies = new Map<string, Cookie>();

  constructor(fetch: TrustingFetch) {
    this.#fetch = fetch;
  }

  /** The Cookie header this browser would send to `target`. */
  cookieHeader(target: URL): string {
    return [...this.#cookies.values()]
      .filter(
        (c) =>
          target.pathname === c.path ||
          target.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`),
      )
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  async request(url: string | URL, init: { method?: string; form?: Record<string, string> } = {}) {
    const target = new URL(url);
    const headers: Record<string, string> = {};
    const cookie = this.cookieHeader(target);
    if (cookie) headers.cookie = cookie;
    const response = await this.#fetch(target, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      headers,
      ...(init.form ? { body: new URLSearchParams(init.form) } : {}),
    });
    for (const line of response.headers.getSetCookie()) this.#store(line, target);
    return response;
  }

  /** Follows redirects from `url` until a page answers or a Location starts with `stopAt` (not fetched). */
  async follow(
    url: string | URL,
    stopAt?: string,
    init: { method?: string; form?: Record<string, string> } = {},
  ): Promise<{ url: string; response: Response | null }> {
    let current = new URL(url).href;
    let response = await this.request(current, init);
    for (let hops = 0; hops < 20; hops += 1) {
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return { url: current, response };
      current = new URL(location, current).href;
      if (stopAt && current.startsWith(stopAt)) return { url: current, response: null };
      response = await this.request(current);
    }
    throw new Error('too many redirects');
  }

  #store(line: string, from: URL) {
    const [pair = '', ...attributes] = line.split(';').map((s) => s.trim());
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    let path = from.pathname;
    let expired = false;
    for (const attribute of attributes) {
      const [key = '', v = ''] = attribute.split('=');
      if (key.toLowerCase() === 'path') path = v;
      if (key.toLowerCase() === 'max-age' && Number(v) <= 0) expired = true;
      if (key.toLowerCase() === 'expires' && Date.parse(v) <= Date.now()) expired = true;
    }
    const key = `${name};${path}`;
    if (expired || value === '') this.#cookies.delete(key);
    else this.#cookies.set(key, { name, value, path });
  }
}

/** The attribute values of every `<form>` action and hidden input in a page, for driving it like a browser. */
export function formOf(html: string, index = 0): { action: string; fields: Record<string, string> } {
  const forms = [...html.matchAll(/<form\b[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)];
  const form = forms[index];
  if (!form) throw new Error('no form on the page');
  const decode = (s: string) =>
    s
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  const fields: Record<string, string> = {};
  for (const input of form[2]!.matchAll(/<input\b[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(input[0])?.[1];
    const value = /value="([^"]*)"/.exec(input[0])?.[1];
    if (name !== undefined) fields[decode(name)] = decode(value ?? '');
  }
  return { action: decode(form[1]!), fields };
}

/** Script a browser would run: a script element, an on* handler attribute, or a javascript: URL in an attribute. */
export function scriptIn(html: string): string[] {
  const found: string[] = [];
  for (const tag of html.matchAll(
    /<([a-zA-Z][\w-]*)((?:\s+[^\s=>"']+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*)\s*\/?>/g,
  )) {
    if (tag[1]!.toLowerCase() === 'script') found.push(tag[0]);
    for (const attribute of tag[2]!.matchAll(/([^\s=>"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>"']+))?/g)) {
      if (/^on/i.test(attribute[1]!) || /^["']?\s*javascript:/i.test(attribute[2] ?? '')) found.push(tag[0]);
    }
  }
  return found;
}
