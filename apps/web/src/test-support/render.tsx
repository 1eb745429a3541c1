import { MantineProvider } from '@mantine/core';
import type { QueryClient } from '@tanstack/react-query';
import { QueryClientProvider } from '@tanstack/react-query';
import { createMemoryHistory } from '@tanstack/react-router';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import type { ZodError } from 'zod';
import { App } from '../App';
import { createQueryClient } from '../api/queryClient';
import { createAppRouter } from '../router';
import { theme } from '../theme';

export function testQueryClient(): QueryClient {
  return createQueryClient({ retry: false });
}

/** Renders a component inside the app's providers, without the router. */
export function renderWithProviders(ui: ReactNode, queryClient = testQueryClient()) {
  return render(
    <MantineProvider theme={theme} env="test">
      <QueryClientProvider client={queryClient}>{ui}</QueryClientProvider>
    </MantineProvider>,
  );
}

/** Renders the whole app at `path` with an in-memory history. */
export function renderApp(path = '/') {
  const router = createAppRouter(createMemoryHistory({ initialEntries: [path] }));
  const queryClient = testQueryClient();
  const view = render(<App router={router} queryClient={queryClient} mantineEnv="test" />);
  return { ...view, router, queryClient };
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Headers;
  body: unknown;
}

/** What a fetch stand-in answers: JSON `body` (none for 204) with `status` (200 unless told). */
export type Answer = { status?: number; body?: unknown };
type Route = Answer | ((request: RecordedRequest) => Answer);

function problem(status: number, code: string, message: string) {
  return {
    status,
    body: { type: 'about:blank', title: code, status, error: { code, message } },
  };
}

/** A problem+json answer, as the server sends for refused requests. */
export function problemAnswer(status: number, code: string, message: string, details?: unknown): Answer {
  const answer = problem(status, code, message);
  return details === undefined
    ? answer
    : { ...answer, body: { ...answer.body, error: { code, message, details } } };
}

/** The server's 400 for a body its schema refuses: the first issue as the message, every issue as details. */
export function validationProblem(error: ZodError): Answer {
  const details = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  return problemAnswer(400, 'validation_failed', details[0]?.message ?? 'Invalid request', details);
}

/** The server's 409 for a write based on an old version (DEV-6), with the version it has now. */
export function staleProblem(version: number): Answer {
  return problemAnswer(409, 'modified_by_someone_else', 'Modified by someone else', { version });
}

/** A request as the fetch stand-ins record it: method, path with query, headers and the JSON body. */
function recordedRequest(input: RequestInfo | URL, init?: RequestInit): RecordedRequest {
  const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const url = new URL(raw, 'https://app.test');
  const text = typeof init?.body === 'string' ? init.body : undefined;
  return {
    method: (init?.method ?? 'GET').toUpperCase(),
    path: url.pathname + url.search,
    headers: new Headers(init?.headers),
    body: text === undefined ? undefined : (JSON.parse(text) as unknown),
  };
}

/** The response for an answer: empty for 204 or no body, problem+json for a refusal, JSON otherwise. */
function answerResponse(answer: Answer): Response {
  const status = answer.status ?? 200;
  const isProblem =
    status >= 400 && typeof answer.body === 'object' && answer.body !== null && 'error' in answer.body;
  if (answer.body === undefined || status === 204) return new Response(null, { status });
  return new Response(JSON.stringify(answer.body), {
    status,
    headers: { 'content-type': isProblem ? 'application/problem+json' : 'application/json' },
  });
}

/**
 * A fetch stand-in for an API kept in memory: every request is recorded in `requests`, then answered by
 * `answer`, or passed to `fallback` when `answer` has nothing for it.
 */
export function answeringFetch(
  answer: (request: RecordedRequest) => Answer | undefined,
  fallback?: typeof fetch,
): typeof fetch & { requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = recordedRequest(input, init);
    requests.push(request);
    const found = answer(request);
    if (found) return answerResponse(found);
    if (!fallback) throw new Error(`No answer for ${request.method} ${request.path}`);
    return fallback(input, init);
  };
  return Object.assign(fetchImpl, { requests });
}

/**
 * A fetch stand-in answering JSON per route: keys are `METHOD /path?query`, `METHOD /path` or `/path`
 * (any method). Unknown routes get a problem+json 404. Every request is recorded in `requests`.
 */
export function jsonFetch(routes: Record<string, Route>): typeof fetch & { requests: RecordedRequest[] } {
  return answeringFetch((request) => {
    const { pathname } = new URL(request.path, 'https://app.test');
    const route =
      routes[`${request.method} ${request.path}`] ??
      routes[`${request.method} ${pathname}`] ??
      routes[pathname];
    if (!route) return problem(404, 'not_found', 'Not found.');
    return typeof route === 'function' ? route(request) : route;
  });
}
