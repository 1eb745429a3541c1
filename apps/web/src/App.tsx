import { MantineProvider } from '@mantine/core';
import { type QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import type { AppRouter } from './router';
import { theme } from './theme';

export interface AppProps {
  router: AppRouter;
  queryClient: QueryClient;
  /** 'test' turns off Mantine's transitions and portals (unit tests). */
  mantineEnv?: 'default' | 'test';
}

export function App({ router, queryClient, mantineEnv = 'default' }: AppProps) {
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto" env={mantineEnv}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  );
}
