import { Alert, Button, Center, Code, Group, Loader, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { ApiError, safeErrorMessage } from '../api/client';

/** What QueryState reads of a query; plain and infinite query results both fit. */
export interface QueryLike<T> {
  isPending: boolean;
  isError: boolean;
  isFetching: boolean;
  error: unknown;
  data: T | undefined;
  refetch(): Promise<unknown>;
}

export interface QueryStateProps<T> {
  query: QueryLike<T>;
  /** Names what is loading, for screen readers and the error title. */
  label: string;
  children: (data: T) => ReactNode;
}

/** The one loading / error / data pattern: a loader, a safe error with request id and Retry, or the data. */
export function QueryState<T>({ query, label, children }: QueryStateProps<T>) {
  if (query.isPending) {
    return (
      <Center py="lg" role="status" aria-label={`Loading ${label}`}>
        <Loader size="sm" />
      </Center>
    );
  }

  if (query.isError) {
    const requestId = query.error instanceof ApiError ? query.error.requestId : undefined;
    return (
      <Alert
        color="red"
        variant="light"
        title={`Could not load ${label}`}
        icon={<IconAlertTriangle size={18} aria-hidden />}
        role="alert"
      >
        <Stack gap="xs">
          <Text size="sm">{safeErrorMessage(query.error)}</Text>
          {requestId && (
            <Text size="xs" c="dimmed">
              Request id <Code>{requestId}</Code>
            </Text>
          )}
          <Group>
            <Button
              size="xs"
              variant="light"
              color="red"
              leftSection={<IconRefresh size={14} aria-hidden />}
              loading={query.isFetching}
              onClick={() => void query.refetch()}
            >
              Retry
            </Button>
          </Group>
        </Stack>
      </Alert>
    );
  }

  return <>{children(query.data as T)}</>;
}
