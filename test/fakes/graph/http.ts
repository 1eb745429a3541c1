import type { IncomingMessage, ServerResponse } from 'node:http';

export const json = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
};

/** Graph's error envelope, with the request-id and date Graph adds to every error. */
export const graphError = (
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
) =>
  json(
    res,
    status,
    {
      error: {
        code,
        message,
        innerError: { date: new Date().toISOString(), 'request-id': crypto.randomUUID() },
      },
    },
    headers,
  );

/** The identity platform's OAuth error body (RFC 6749 §5.2 plus Microsoft's extra fields). */
export const tokenError = (
  res: ServerResponse,
  status: number,
  error: string,
  aadsts: string,
  text: string,
) =>
  json(res, status, {
    error,
    error_description: `${aadsts}: ${text} Trace ID: ${crypto.randomUUID()} Correlation ID: ${crypto.randomUUID()} Timestamp: ${new Date().toISOString().replace('T', ' ').slice(0, 19)}Z`,
    error_codes: [Number(aadsts.replace('AADSTS', ''))],
    timestamp: new Date().toISOString(),
    trace_id: crypto.randomUUID(),
    correlation_id: crypto.randomUUID(),
  });

export const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 64 * 1024) req.destroy(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

/** `Prefer: odata.maxpagesize=N`, as Graph reads it for delta queries. */
export const preferredPageSize = (req: IncomingMessage): number | undefined => {
  const match = /odata\.maxpagesize=(\d+)/i.exec(String(req.headers.prefer ?? ''));
  return match ? Number(match[1]) : undefined;
};
