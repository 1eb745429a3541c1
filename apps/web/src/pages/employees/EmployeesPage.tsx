import {
  Anchor,
  Badge,
  Card,
  Group,
  Loader,
  Stack,
  Table,
  Text,
  TextInput,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch, IconUsers } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import type { Employee, EmployeesSummary } from '@thestorage/contracts';
import { useState } from 'react';
import { EMPLOYEE_SEARCH_MIN_LENGTH, employeeSearchQuery, employeesSummaryQuery } from '../../api/directory';
import { mayOpen } from '../../auth/access';
import { useSignedIn } from '../../auth/signedIn';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import {
  connectionStatusColor,
  connectionStatusLabel,
  formatDateTime,
} from '../settings/directory/directoryLabels';

/** Typing pauses this long before the search is sent. */
export const SEARCH_DEBOUNCE_MS = 300;

function SummaryLine({ summary }: { summary: EmployeesSummary }) {
  return (
    <Group gap="md" mb="md" data-testid="employees-summary">
      <Text size="sm">
        <Text span fw={700}>
          {summary.count.toLocaleString('en')}
        </Text>{' '}
        {summary.count === 1 ? 'employee' : 'employees'}
      </Text>
      <Text size="sm" c="dimmed">
        Last sync: {formatDateTime(summary.lastRefreshedAt)}
      </Text>
      {summary.connectionStatus && (
        <Badge variant="light" color={connectionStatusColor[summary.connectionStatus]}>
          {connectionStatusLabel[summary.connectionStatus]}
        </Badge>
      )}
    </Group>
  );
}

function NoDirectory() {
  const me = useSignedIn();
  return (
    <Card withBorder radius="lg" padding="xl" maw={720}>
      <Group gap="md" wrap="nowrap" align="flex-start">
        <ThemeIcon size={44} radius="md" variant="light" aria-hidden>
          <IconUsers size={24} stroke={1.6} />
        </ThemeIcon>
        <Stack gap={6}>
          <Title order={2} fz="lg">
            No employees yet
          </Title>
          <Text size="sm">
            Employees come from your organization's directory: connect Microsoft Entra ID or Google Workspace
            and sync users, or let your identity provider push them over SCIM. Their names are then kept in a
            cache for 14 days after each successful sync.
          </Text>
          {mayOpen(me, 'directory') ? (
            <Anchor component={Link} to="/settings/directory" size="sm" fw={500}>
              Connect a directory in Settings → Directory
            </Anchor>
          ) : (
            <Text size="sm" c="dimmed">
              Ask an Administrator to connect the directory in Settings → Directory.
            </Text>
          )}
        </Stack>
      </Group>
    </Card>
  );
}

function EmployeeTable({ employees }: { employees: readonly Employee[] }) {
  if (employees.length === 0) {
    return (
      <Text size="sm" c="dimmed" p="lg">
        Nobody matches this search.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table verticalSpacing="sm" horizontalSpacing="md" aria-label="Employees">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Job title</Table.Th>
            <Table.Th>E-mail</Table.Th>
            <Table.Th ta="right">Devices</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {employees.map((employee) => (
            <Table.Tr key={employee.reference}>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <Text size="sm" fw={500}>
                    {employee.displayName ?? employee.userName}
                  </Text>
                  {!employee.active && (
                    <Badge variant="light" color="gray" size="sm">
                      Inactive
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{employee.jobTitle ?? '—'}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{employee.userName}</Text>
              </Table.Td>
              <Table.Td ta="right">
                <Text size="sm" aria-label={`${employee.deviceCount} devices`}>
                  {employee.deviceCount}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function EmployeeSearch() {
  const [input, setInput] = useState('');
  const [debounced] = useDebouncedValue(input.trim(), SEARCH_DEBOUNCE_MS);
  const search = debounced.length >= EMPLOYEE_SEARCH_MIN_LENGTH ? debounced : '';
  const results = useQuery({ ...employeeSearchQuery(search), placeholderData: keepPreviousData });

  return (
    <Stack gap="md" maw={1100}>
      <TextInput
        label="Search employees"
        description={`Name, e-mail or user name: at least ${EMPLOYEE_SEARCH_MIN_LENGTH} characters.`}
        placeholder="e.g. Ada or ada@example.com"
        leftSection={<IconSearch size={16} aria-hidden />}
        rightSection={results.isFetching ? <Loader size="xs" aria-label="Searching" /> : null}
        maxLength={200}
        value={input}
        onChange={(event) => setInput(event.currentTarget.value)}
        maw={480}
      />
      {search === '' ? (
        <Text size="sm" c="dimmed">
          Type at least {EMPLOYEE_SEARCH_MIN_LENGTH} characters to find someone.
        </Text>
      ) : (
        <Card withBorder radius="lg" padding={0}>
          <QueryState query={results} label="the employees">
            {(data) => <EmployeeTable employees={data.employees} />}
          </QueryState>
        </Card>
      )}
    </Stack>
  );
}

/** Employees: how many people the directory cache knows, and a search over them. */
export function EmployeesPage() {
  const summary = useQuery(employeesSummaryQuery);
  return (
    <>
      <PageHeader
        title="Employees"
        description="The people of your organization's directory. Names are kept only in a cache, for 14 days after the last successful sync."
      />
      <QueryState query={summary} label="the employees">
        {(data) => (
          <>
            <SummaryLine summary={data} />
            {data.count === 0 ? <NoDirectory /> : <EmployeeSearch />}
          </>
        )}
      </QueryState>
    </>
  );
}
