import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createMemoryHistory } from '@tanstack/react-router';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { App } from '../App';
import { createAppRouter } from '../router';
import { theme } from '../theme';

export function testQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false, refetchInterval: false } } });
}

/** Renders a component inside the app's providers, without the router. */
export function renderWithProviders(ui: ReactNode, queryClient = testQueryClient()) {
  return render(
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queryClient}>{ui}</QueryClientProvider>
    </MantineProvider>,
  );
}

/** Renders the whole app at `path` with an in-memory history. */
export function renderApp(path = '/') {
  const router = createAppRouter(createMemoryHistory({ initialEntries: [path] }));
  const view = render(<App router={router} queryClient={testQueryClient()} />);
  return { ...view, router };
}

/** A fetch stand-in answering JSON per path; unknown paths get a problem+json 404. */
export function jsonFetch(routes: Record<string, { status?: number; body: unknown }>): typeof fetch {
  return async (input) => {
    const path = typeof input === 'string' ? input : input instanceof URL ? input.pathname : input.url;
    const route = routes[path];
    if (!route) {
      return new Response(
        JSON.stringify({
          type: 'about:blank',
          title: 'Not Found',
          status: 404,
          error: { code: 'not_found', message: 'Not found.' },
        }),
        { status: 404, headers: { 'content-type': 'application/problem+json' } },
      );
    }
    return new Response(JSON.stringify(route.body), {
      status: route.status ?? 200,
      headers: { 'content-type': 'application/json' },
    });
  };
}
