import { ErrorCode, type Problem } from '@thestorage/contracts';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from './errors';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  details?: unknown,
) {
  const body: Problem = {
    type: `https://thestorage.dev/problems/${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    instance: request.url.split('?')[0],
    requestId: request.id,
    error: details === undefined ? { code, message } : { code, message, details },
  };
  return reply.status(status).type('application/problem+json; charset=utf-8').send(body);
}

/** Maps framework errors to stable codes; anything unexpected becomes a 500 with no internals. */
function classify(error: FastifyError): { status: number; code: string; message: string; details?: unknown } {
  if (error instanceof AppError) {
    return { status: error.status, code: error.code, message: error.message, details: error.details };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    return {
      status: 400,
      code: ErrorCode.ValidationFailed,
      message: 'The request is not valid',
      details: error.validation.map((v) => ({
        path: v.instancePath.replace(/^\//, '').replaceAll('/', '.'),
        message: v.message,
      })),
    };
  }
  const status = error.statusCode ?? 500;
  if (status === 429) return { status, code: ErrorCode.RateLimited, message: 'Too many requests' };
  if (status === 413)
    return { status, code: ErrorCode.PayloadTooLarge, message: 'The request body is too large' };
  if (status === 404) return { status, code: ErrorCode.NotFound, message: 'Not found' };
  if (status >= 400 && status < 500) {
    // Fastify's own 4xx (bad JSON, wrong content type): their messages describe the request, not the server.
    return { status, code: ErrorCode.ValidationFailed, message: error.message };
  }
  return { status: 500, code: ErrorCode.Internal, message: 'Something went wrong on our side' };
}

export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = classify(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: problem.code, status: problem.status }, 'request refused');
    return sendProblem(request, reply, problem.status, problem.code, problem.message, problem.details);
  });
}
