import { ErrorCode, problemSchema } from '@thestorage/contracts';
import type { z } from 'zod';

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

/** GETs `path` from the same origin and returns the body validated by `schema`. */
export async function apiGet<S extends z.ZodType>(
  path: string,
  schema: S,
  options: ApiGetOptions = {},
): Promise<z.infer<S>> {
  const doFetch = options.fetchImpl ?? fetch;
  let response: Response;
  try {
    response = await doFetch(path, {
      method: 'GET',
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
      signal: options.signal,
    });
  } catch (cause) {
    if (options.signal?.aborted) throw cause;
    throw new ApiError(0, ErrorCode.ServiceUnavailable, UNREACHABLE_MESSAGE);
  }

  const body = await readJson(response);
  const accepted = response.ok || (options.acceptStatuses ?? []).includes(response.status);
  if (!accepted) throw errorFrom(response, body);

  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  if (!response.ok) throw errorFrom(response, body);
  throw new ApiError(response.status, ErrorCode.Internal, UNEXPECTED_RESPONSE_MESSAGE, {
    requestId: requestIdOf(response),
  });
}

/** A message that is safe to show for any thrown value. */
export function safeErrorMessage(error: unknown): string {
  return error instanceof ApiError ? error.message : GENERIC_ERROR_MESSAGE;
}
