import { MantineProvider } from '@mantine/core';
import type { QueryClient } from '@tanstack/react-query';
import { QueryClientProvider } from '@tanstack/react-query';
import { createMemoryHistory } from '@tanstack/react-router';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
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

type Answer = { status?: number; body?: unknown };
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

/**
 * A fetch stand-in answering JSON per route: keys are `METHOD /path?query`, `METHOD /path` or `/path`
 * (any method). Unknown routes get a problem+json 404. Every request is recorded in `requests`.
 */
export function jsonFetch(routes: Record<string, Route>): typeof fetch & { requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit) => {
    const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const url = new URL(raw, 'https://app.test');
    const method = (init?.method ?? 'GET').toUpperCase();
    const text = typeof init?.body === 'string' ? init.body : undefined;
    const request: RecordedRequest = {
      method,
      path: url.pathname + url.search,
      headers: new Headers(init?.headers),
      body: text === undefined ? undefined : (JSON.parse(text) as unknown),
    };
    requests.push(request);
    const route =
      routes[`${method} ${url.pathname}${url.search}`] ??
      routes[`${method} ${url.pathname}`] ??
      routes[url.pathname];
    const answer = route
      ? typeof route === 'function'
        ? route(request)
        : route
      : problem(404, 'not_found', 'Not found.');
    const status = answer.status ?? 200;
    const isProblem =
      status >= 400 && typeof answer.body === 'object' && answer.body !== null && 'error' in answer.body;
    if (answer.body === undefined || status === 204) return new Response(null, { status });
    return new Response(JSON.stringify(answer.body), {
      status,
      headers: { 'content-type': isProblem ? 'application/problem+json' : 'application/json' },
    });
  };
  return Object.assign(fetchImpl, { requests });
}
