import { Badge, Button, Card, Group, NativeSelect, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { AuthEvent } from '@thestorage/contracts';
import { useMemo, useState } from 'react';
import { type AuthEventOutcome, authEventsQuery, platformOrganizationsQuery } from '../../api/platform';
import { signInProvidersQuery } from '../../api/session';
import { signInErrorMessage } from '../../auth/signInErrors';
import { QueryState } from '../../components/QueryState';

export const outcomeLabel: Record<AuthEventOutcome, string> = {
  started: 'Started',
  success: 'Success',
  failure: 'Failure',
  sign_out: 'Sign-out',
  session_expired: 'Session expired',
};

const outcomeColor: Record<AuthEventOutcome, string> = {
  started: 'gray',
  success: 'teal',
  failure: 'red',
  sign_out: 'blue',
  session_expired: 'orange',
};

function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString('en', { dateStyle: 'medium', timeStyle: 'medium' });
}

function EventsTable({ events, tenantSlugs }: { events: AuthEvent[]; tenantSlugs: Map<string, string> }) {
  if (events.length === 0) {
    return (
      <Text size="sm" c="dimmed" p="lg">
        No authentication events match these filters.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table verticalSpacing="xs" horizontalSpacing="md" aria-label="Authentication events" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Time</Table.Th>
            <Table.Th>Outcome</Table.Th>
            <Table.Th>Reason</Table.Th>
            <Table.Th>Provider</Table.Th>
            <Table.Th>Tenant</Table.Th>
            <Table.Th>Subject</Table.Th>
            <Table.Th>IP</Table.Th>
            <Table.Th>Browser</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.map((event) => (
            <Table.Tr key={event.id} data-outcome={event.outcome}>
              <Table.Td>
                <Text size="xs" style={{ whiteSpace: 'nowrap' }}>
                  {formatTime(event.occurredAt)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge size="sm" variant="light" color={outcomeColor[event.outcome]}>
                  {outcomeLabel[event.outcome]}
                </Badge>
              </Table.Td>
              <Table.Td>
                {event.reason ? (
                  <Tooltip label={signInErrorMessage(event.reason)} multiline w={300}>
                    <Text size="xs" ff="monospace" tabIndex={0}>
                      {event.reason}
                    </Text>
                  </Tooltip>
                ) : (
                  <Text size="xs" c="dimmed">
                    —
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="xs">{event.provider ?? '—'}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs" ff="monospace">
                  {event.tenantId ? (tenantSlugs.get(event.tenantId) ?? event.tenantId.slice(0, 8)) : '—'}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs" ff="monospace" truncate maw={160} title={event.subjectRef ?? undefined}>
                  {event.subjectRef ?? '—'}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs" ff="monospace">
                  {event.ip ?? '—'}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs" truncate maw={220} title={event.userAgent ?? undefined}>
                  {event.userAgent ?? '—'}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The authentication log (SEC-13), newest first, filtered by outcome and provider. */
export function AuthLogPanel() {
  const [outcome, setOutcome] = useState<AuthEventOutcome | ''>('');
  const [provider, setProvider] = useState('');
  const filters = useMemo(
    () => ({ outcome: outcome || undefined, provider: provider || undefined }),
    [outcome, provider],
  );
  const events = useInfiniteQuery(authEventsQuery(filters));
  const providers = useQuery(signInProvidersQuery);
  const organizations = useQuery(platformOrganizationsQuery);

  const tenantSlugs = useMemo(
    () =>
      new Map(
        (organizations.data?.organizations ?? []).flatMap((o) =>
          o.tenants.map((t) => [t.id, t.slug] as const),
        ),
      ),
    [organizations.data],
  );
  const providerOptions = [
    { value: '', label: 'All providers' },
    ...(providers.data?.providers ?? []).map((p) => ({ value: p.id, label: p.label })),
  ];

  return (
    <Stack gap="md">
      <Group align="flex-end" gap="sm">
        <NativeSelect
          label="Outcome"
          value={outcome}
          onChange={(event) => setOutcome(event.currentTarget.value as AuthEventOutcome | '')}
          data={[
            { value: '', label: 'All outcomes' },
            ...Object.entries(outcomeLabel).map(([value, label]) => ({ value, label })),
          ]}
        />
        <NativeSelect
          label="Provider"
          value={provider}
          onChange={(event) => setProvider(event.currentTarget.value)}
          data={providerOptions}
        />
        <Button
          variant="default"
          leftSection={<IconRefresh size={16} aria-hidden />}
          loading={events.isFetching && !events.isFetchingNextPage}
          onClick={() => void events.refetch()}
        >
          Refresh
        </Button>
      </Group>
      <Card withBorder radius="lg" padding={0}>
        <QueryState query={events} label="the authentication log">
          {(data) => (
            <EventsTable events={data.pages.flatMap((page) => page.events)} tenantSlugs={tenantSlugs} />
          )}
        </QueryState>
      </Card>
      {events.hasNextPage && (
        <Group justify="center">
          <Button
            variant="light"
            loading={events.isFetchingNextPage}
            onClick={() => void events.fetchNextPage()}
          >
            Load more
          </Button>
        </Group>
      )}
    </Stack>
  );
}
