import { ErrorCode, problemSchema } from '@thestorage/contracts';
import { z } from 'zod';

/** Every failed API call surfaces as this one error type; `message` is always safe to show. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  readonly details: unknown;

  constructor(
    status: number,
    code: string,
    message: string,
    opts: { requestId?: string; details?: unknown } = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.requestId = opts.requestId;
    this.details = opts.details;
  }
}

export const GENERIC_ERROR_MESSAGE = 'Something went wrong on the server. Please try again.';
export const UNREACHABLE_MESSAGE = 'The server could not be reached. Check your connection and try again.';
export const UNEXPECTED_RESPONSE_MESSAGE = 'The server sent a response this app does not understand.';

export interface ApiGetOptions {
  /** Non-2xx statuses whose body is still a valid answer, e.g. 503 from /ready. */
  acceptStatuses?: readonly number[];
  signal?: AbortSignal;
  fetchImpl?: typeof fetch;
}

function requestIdOf(response: Response): string | undefined {
  return response.headers.get('x-request-id') ?? undefined;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Turns a failed response into an ApiError, trusting only a well-formed problem+json body. */
function errorFrom(response: Response, body: unknown): ApiError {
  const problem = problemSchema.safeParse(body);
  if (problem.success) {
    const { error, requestId } = problem.data;
    return new ApiError(response.status, error.code, error.message, {
      requestId: requestId ?? requestIdOf(response),
      details: error.details,
    });
  }
  return new ApiError(response.status, ErrorCode.Internal, GENERIC_ERROR_MESSAGE, {
    requestId: requestIdOf(response),
  });
}

async function send(path: string, init: RequestInit, fetchImpl: typeof fetch | undefined): Promise<Response> {
  try {
    return await (fetchImpl ?? fetch)(path, { ...init, credentials: 'same-origin' });
  } catch (cause) {
    if (init.signal?.aborted) throw cause;
    throw new ApiError(0, ErrorCode.ServiceUnavailable, UNREACHABLE_MESSAGE);
  }
}

async function parseAnswer<S extends z.ZodType>(
  response: Response,
  schema: S,
  acceptStatuses: readonly number[] = [],
): Promise<z.infer<S>> {
  const body = await readJson(response);
  const accepted = response.ok || acceptStatuses.includes(response.status);
  if (!accepted) throw errorFrom(response, body);

  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  if (!response.ok) throw errorFrom(response, body);
  throw new ApiError(response.status, ErrorCode.Internal, UNEXPECTED_RESPONSE_MESSAGE, {
    requestId: requestIdOf(response),
  });
}

/** GETs `path` from the same origin and returns the body validated by `schema`. */
export async function apiGet<S extends z.ZodType>(
  path: string,
  schema: S,
  options: ApiGetOptions = {},
): Promise<z.infer<S>> {
  const response = await send(
    path,
    { method: 'GET', headers: { Accept: 'application/json' }, signal: options.signal },
    options.fetchImpl,
  );
  return parseAnswer(response, schema, options.acceptStatuses);
}

export interface ApiWriteOptions {
  /** The session's CSRF token (`me.csrfToken`); the server refuses a state-changing request without it. */
  csrfToken: string | undefined;
  signal?: AbortSignal;
  fetchImpl?: typeof fetch;
}

export const CSRF_HEADER = 'x-csrf-token';
export const SIGNED_OUT_MESSAGE = 'Your session has ended. Sign in again to continue.';

type WriteMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Sends a state-changing request with the CSRF header; `body` (if any) goes as JSON. */
async function sendWrite(
  method: WriteMethod,
  path: string,
  body: unknown,
  accept: string,
  options: ApiWriteOptions,
): Promise<Response> {
  // Without a token the request would only be refused: the session is gone or never started.
  if (!options.csrfToken) throw new ApiError(401, ErrorCode.Unauthenticated, SIGNED_OUT_MESSAGE);
  const headers: Record<string, string> = { Accept: accept, [CSRF_HEADER]: options.csrfToken };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return send(
    path,
    {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: options.signal,
    },
    options.fetchImpl,
  );
}

/** Sends a state-changing request with the CSRF header and returns the JSON answer validated by `schema`. */
export async function apiSend<S extends z.ZodType>(
  method: WriteMethod,
  path: string,
  body: unknown,
  schema: S,
  options: ApiWriteOptions,
): Promise<z.infer<S>> {
  const response = await sendWrite(method, path, body, 'application/json', options);
  return parseAnswer(response, schema);
}

/**
 * POSTs `body` as JSON with the CSRF header and returns the file the server answers with (e.g. a PDF);
 * a refusal still arrives as problem+json and becomes an ApiError.
 */
export async function apiPostForFile(
  path: string,
  body: unknown,
  accept: string,
  options: ApiWriteOptions,
): Promise<Blob> {
  const response = await sendWrite('POST', path, body, `${accept}, application/problem+json`, options);
  if (!response.ok) throw errorFrom(response, await readJson(response));
  const file = await response.blob();
  if (file.size === 0) {
    throw new ApiError(response.status, ErrorCode.Internal, UNEXPECTED_RESPONSE_MESSAGE, {
      requestId: requestIdOf(response),
    });
  }
  return file;
}

/**
 * POSTs (or PUTs, e.g. a device's invoice PDF) a file as the raw request body (its own content type, the
 * CSRF header) and returns the JSON answer validated by `schema`: no multipart envelope, so the server
 * reads the bytes as they are.
 */
export async function apiUpload<S extends z.ZodType>(
  path: string,
  file: Blob,
  contentType: string,
  schema: S,
  options: ApiWriteOptions,
  method: 'POST' | 'PUT' = 'POST',
): Promise<z.infer<S>> {
  if (!options.csrfToken) throw new ApiError(401, ErrorCode.Unauthenticated, SIGNED_OUT_MESSAGE);
  const response = await send(
    path,
    {
      method,
      headers: {
        Accept: 'application/json',
        'Content-Type': contentType,
        [CSRF_HEADER]: options.csrfToken,
      },
      body: file,
      signal: options.signal,
    },
    options.fetchImpl,
  );
  return parseAnswer(response, schema);
}

/** GETs a file (e.g. a PDF); a refusal arrives as problem+json and becomes an ApiError. */
export async function apiGetFile(path: string, accept: string, options: ApiGetOptions = {}): Promise<Blob> {
  const response = await send(
    path,
    { method: 'GET', headers: { Accept: `${accept}, application/problem+json` }, signal: options.signal },
    options.fetchImpl,
  );
  if (!response.ok) throw errorFrom(response, await readJson(response));
  return response.blob();
}

export function apiPost<S extends z.ZodType>(
  path: string,
  body: unknown,
  schema: S,
  options: ApiWriteOptions,
) {
  return apiSend('POST', path, body, schema, options);
}

export function apiPatch<S extends z.ZodType>(
  path: string,
  body: unknown,
  schema: S,
  options: ApiWriteOptions,
) {
  return apiSend('PATCH', path, body, schema, options);
}

/** For answers without a body (204). */
export const noContentSchema = z.unknown().transform((): void => undefined);

export function apiDelete(path: string, options: ApiWriteOptions): Promise<void> {
  return apiSend('DELETE', path, undefined, noContentSchema, options);
}

/** A message that is safe to show for any thrown value. */
export function safeErrorMessage(error: unknown): string {
  return error instanceof ApiError ? error.message : GENERIC_ERROR_MESSAGE;
}

const fieldErrorSchema = z.array(z.object({ path: z.string(), message: z.string() }));

/** Per-field messages of a validation_failed answer, keyed by field name (e.g. `tenantSlug`). */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || error.code !== ErrorCode.ValidationFailed) return {};
  const parsed = fieldErrorSchema.safeParse(error.details);
  if (!parsed.success) return {};
  const fields: Record<string, string> = {};
  for (const { path, message } of parsed.data) fields[path] ??= message;
  return fields;
}
