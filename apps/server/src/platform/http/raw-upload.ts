import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Routes of `scope` accept these content types as a raw body: the stream is handed on unread, so the
 * permission check runs first and the handler reads it within its own limit (files, imports).
 */
export function acceptRawBodies(scope: FastifyInstance, contentTypes: readonly (string | RegExp)[]): void {
  const passThrough = (
    _request: FastifyRequest,
    payload: NodeJS.ReadableStream,
    done: (err: null, body: unknown) => void,
  ) => done(null, payload);
  for (const type of contentTypes) scope.addContentTypeParser(type, passThrough);
}

/**
 * The upload's body, for a handler to read. A refusal in the middle (too large, wrong content) stops
 * reading without destroying the request, so the client still gets its answer.
 */
export const uploadBody = (request: FastifyRequest) => {
  const body = request.body as Readable | undefined;
  return body && typeof body.iterator === 'function' ? body.iterator({ destroyOnReturn: false }) : undefined;
};

/** The request's Content-Length when it sent a valid one: a body over the limit is refused before reading. */
export const declaredLengthOf = (request: FastifyRequest): number | undefined => {
  const value = Number(request.headers['content-length']);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
};
