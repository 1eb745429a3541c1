import { QueryClient } from '@tanstack/react-query';
import { ErrorCode } from '@thestorage/contracts';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { meAs } from '../test-support/people';
import {
  ApiError,
  apiDelete,
  apiGet,
  apiPatch,
  apiPost,
  apiPostForFile,
  CSRF_HEADER,
  fieldErrorsOf,
  GENERIC_ERROR_MESSAGE,
  UNEXPECTED_RESPONSE_MESSAGE,
  UNREACHABLE_MESSAGE,
} from './client';
import { apiWriteFor, meQuery } from './session';

const itemSchema = z.object({ id: z.string(), count: z.number() });

function respond(
  status: number,
  body: string,
  contentType = 'application/json',
  headers: Record<string, string> = {},
) {
  return vi.fn<typeof fetch>(
    async () => new Response(body, { status, headers: { 'content-type': contentType, ...headers } }),
  );
}

async function failureOf(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('apiGet', () => {
  it('SHELL-1: returns the body validated by the caller schema', async () => {
    const fetchImpl = respond(200, JSON.stringify({ id: 'a', count: 2, extra: true }));
    await expect(apiGet('/api/v1/items', itemSchema, { fetchImpl })).resolves.toEqual({ id: 'a', count: 2 });
  });

  it('SHELL-1: asks for JSON with same-origin credentials', async () => {
    const fetchImpl = respond(200, JSON.stringify({ id: 'a', count: 2 }));
    await apiGet('/health', itemSchema, { fetchImpl });
    const [path, init] = fetchImpl.mock.calls[0]!;
    expect(path).toBe('/health');
    expect(init?.credentials).toBe('same-origin');
    expect(new Headers(init?.headers).get('accept')).toBe('application/json');
  });

  it('SHELL-1: turns a problem+json response into an ApiError with code and request id', async () => {
    const problem = {
      type: 'https://thestorage.example/problems/modified_by_someone_else',
      title: 'Conflict',
      status: 409,
      requestId: 'req-0193-abc',
      error: {
        code: ErrorCode.ModifiedBySomeoneElse,
        message: 'Modified by someone else',
        details: { version: 3 },
      },
    };
    const fetchImpl = respond(409, JSON.stringify(problem), 'application/problem+json');
    const error = await failureOf(apiGet('/api/v1/devices/1', itemSchema, { fetchImpl }));
    expect(error.status).toBe(409);
    expect(error.code).toBe('modified_by_someone_else');
    expect(error.requestId).toBe('req-0193-abc');
    expect(error.message).toBe('Modified by someone else');
    expect(error.details).toEqual({ version: 3 });
  });

  it('SHELL-1: rejects a successful body that does not match the schema', async () => {
    const fetchImpl = respond(200, JSON.stringify({ id: 'a', count: 'two' }), 'application/json', {
      'x-request-id': 'req-9',
    });
    const error = await failureOf(apiGet('/api/v1/items', itemSchema, { fetchImpl }));
    expect(error.code).toBe(ErrorCode.Internal);
    expect(error.requestId).toBe('req-9');
    expect(error.message).not.toContain('two');
  });

  it('SHELL-1: a non-JSON error becomes internal_error with a generic message', async () => {
    const fetchImpl = respond(502, '<html>Bad gateway: upstream 10.0.0.7 refused</html>', 'text/html');
    const error = await failureOf(apiGet('/health', itemSchema, { fetchImpl }));
    expect(error.status).toBe(502);
    expect(error.code).toBe(ErrorCode.Internal);
    expect(error.message).toBe(GENERIC_ERROR_MESSAGE);
  });

  it('SHELL-1: a JSON error that is not a problem body is not trusted', async () => {
    const fetchImpl = respond(500, JSON.stringify({ message: 'stack trace at db.ts:12' }));
    const error = await failureOf(apiGet('/health', itemSchema, { fetchImpl }));
    expect(error.code).toBe(ErrorCode.Internal);
    expect(error.message).toBe(GENERIC_ERROR_MESSAGE);
  });

  it('SHELL-1: a network failure becomes service_unavailable', async () => {
    const fetchImpl = vi.fn<typeof fetch>(async () => {
      throw new TypeError('Failed to fetch');
    });
    const error = await failureOf(apiGet('/health', itemSchema, { fetchImpl }));
    expect(error.status).toBe(0);
    expect(error.code).toBe(ErrorCode.ServiceUnavailable);
    expect(error.message).toBe(UNREACHABLE_MESSAGE);
  });

  it('SHELL-1: an accepted non-2xx status returns its body when it matches the schema', async () => {
    const fetchImpl = respond(503, JSON.stringify({ id: 'not-ready', count: 0 }));
    await expect(apiGet('/ready', itemSchema, { fetchImpl, acceptStatuses: [503] })).resolves.toEqual({
      id: 'not-ready',
      count: 0,
    });
    const problem = respond(
      503,
      JSON.stringify({
        type: 'about:blank',
        title: 'Service Unavailable',
        status: 503,
        error: { code: ErrorCode.ServiceUnavailable, message: 'Starting up' },
      }),
      'application/problem+json',
    );
    const error = await failureOf(
      apiGet('/ready', itemSchema, { fetchImpl: problem, acceptStatuses: [503] }),
    );
    expect(error.code).toBe(ErrorCode.ServiceUnavailable);
    expect(error.message).toBe('Starting up');
  });
});

describe('state-changing requests', () => {
  it('SEC-14: POST, PATCH and DELETE carry the CSRF token and same-origin credentials', async () => {
    const fetchImpl = respond(200, JSON.stringify({ id: 'a', count: 1 }));
    await apiPost('/api/v1/items', { name: 'x' }, itemSchema, { csrfToken: 'tok-1', fetchImpl });
    await apiPatch('/api/v1/items/a', { name: 'y' }, itemSchema, { csrfToken: 'tok-1', fetchImpl });
    const deleted = vi.fn<typeof fetch>(async () => new Response(null, { status: 204 }));
    await expect(apiDelete('/api/v1/items/a', { csrfToken: 'tok-1', fetchImpl: deleted })).resolves.toBe(
      undefined,
    );

    const calls = [...fetchImpl.mock.calls, ...deleted.mock.calls];
    expect(calls.map(([, init]) => init?.method)).toEqual(['POST', 'PATCH', 'DELETE']);
    for (const [, init] of calls) {
      expect(new Headers(init?.headers).get(CSRF_HEADER)).toBe('tok-1');
      expect(init?.credentials).toBe('same-origin');
    }
    expect(fetchImpl.mock.calls[0]![1]?.body).toBe('{"name":"x"}');
    expect(new Headers(fetchImpl.mock.calls[0]![1]?.headers).get('content-type')).toBe('application/json');
  });

  it('SEC-14: without a token nothing is sent and the caller learns the session is gone', async () => {
    const fetchImpl = respond(200, '{}');
    const error = await failureOf(
      apiPost('/api/v1/items', {}, itemSchema, { csrfToken: undefined, fetchImpl }),
    );
    expect(error.status).toBe(401);
    expect(fetchImpl).not.toHaveBeenCalled();
  });

  it('SEC-14: the token comes from the cached /me answer of the session', async () => {
    const queryClient = new QueryClient();
    queryClient.setQueryData(meQuery.queryKey, meAs('administrator', { csrfToken: 'from-me' }));
    const fetchImpl = vi.fn<typeof fetch>(async () => new Response(null, { status: 204 }));
    vi.stubGlobal('fetch', fetchImpl);
    try {
      await apiWriteFor(queryClient).remove('/api/v1/members/m1');
      expect(new Headers(fetchImpl.mock.calls[0]![1]?.headers).get('x-csrf-token')).toBe('from-me');
      // A new session (e.g. after switching tenant) brings a new token, read at call time.
      queryClient.setQueryData(meQuery.queryKey, meAs('administrator', { csrfToken: 'rotated' }));
      await apiWriteFor(queryClient).remove('/api/v1/members/m1');
      expect(new Headers(fetchImpl.mock.calls[1]![1]?.headers).get('x-csrf-token')).toBe('rotated');
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('SHELL-1: validation details become per-field messages', () => {
    const error = new ApiError(400, ErrorCode.ValidationFailed, 'The request is not valid', {
      details: [
        { path: 'tenantSlug', message: 'Too short' },
        { path: 'organizationName', message: 'Required' },
      ],
    });
    expect(fieldErrorsOf(error)).toEqual({ tenantSlug: 'Too short', organizationName: 'Required' });
    expect(fieldErrorsOf(new ApiError(409, ErrorCode.Conflict, 'Taken'))).toEqual({});
  });
});

describe('requests answered with a file', () => {
  it('DEV-10: a POST for a PDF carries the CSRF token and returns the file', async () => {
    const fetchImpl = respond(200, '%PDF-1.7 labels', 'application/pdf');
    const file = await apiPostForFile(
      '/api/v1/devices/labels',
      { deviceIds: ['d1'], format: 'qr' },
      'application/pdf',
      { csrfToken: 'tok-1', fetchImpl },
    );
    expect(await file.text()).toBe('%PDF-1.7 labels');
    const [path, init] = fetchImpl.mock.calls[0]!;
    expect(path).toBe('/api/v1/devices/labels');
    expect(init?.method).toBe('POST');
    expect(init?.credentials).toBe('same-origin');
    expect(init?.body).toBe('{"deviceIds":["d1"],"format":"qr"}');
    const headers = new Headers(init?.headers);
    expect(headers.get(CSRF_HEADER)).toBe('tok-1');
    expect(headers.get('content-type')).toBe('application/json');
    expect(headers.get('accept')).toContain('application/pdf');
  });

  it('DEV-10: a refusal keeps the server message; an empty file is not passed on as one', async () => {
    const problem = respond(
      404,
      JSON.stringify({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        requestId: 'req-5',
        error: { code: ErrorCode.NotFound, message: 'Device not found' },
      }),
      'application/problem+json',
    );
    const refused = await failureOf(
      apiPostForFile('/api/v1/devices/labels', {}, 'application/pdf', { csrfToken: 't', fetchImpl: problem }),
    );
    expect(refused.status).toBe(404);
    expect(refused.message).toBe('Device not found');
    expect(refused.requestId).toBe('req-5');

    const empty = respond(200, '', 'application/pdf');
    const broken = await failureOf(
      apiPostForFile('/api/v1/devices/labels', {}, 'application/pdf', { csrfToken: 't', fetchImpl: empty }),
    );
    expect(broken.message).toBe(UNEXPECTED_RESPONSE_MESSAGE);
  });

  it('SEC-14: without a token no file is asked for', async () => {
    const fetchImpl = respond(200, '%PDF');
    const error = await failureOf(
      apiPostForFile('/api/v1/devices/labels', {}, 'application/pdf', { csrfToken: undefined, fetchImpl }),
    );
    expect(error.status).toBe(401);
    expect(fetchImpl).not.toHaveBeenCalled();
  });
});
