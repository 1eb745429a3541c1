import { Alert, List, Stack, Table, Text, Title } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { type DeviceImport, MAX_LISTED_IMPORT_PROBLEMS } from '@thestorage/contracts';
import { countOf } from './importLabels';

/** DEV-12: every problem the check (or a failed run) found, row by row, with the column it is in. */
export function ImportProblems({ deviceImport }: { deviceImport: DeviceImport }) {
  const { problems, problemCount } = deviceImport;
  if (problemCount === 0 && problems.length === 0) return null;
  const total = Math.max(problemCount, problems.length);
  return (
    <Stack gap="xs" component="section" aria-labelledby="import-problems-title">
      <Title order={3} fz="md" c="red" id="import-problems-title" data-testid="import-problem-count">
        {countOf(total, 'problem')}
      </Title>
      {total > problems.length && (
        <Text size="sm" c="dimmed">
          Showing the first {Math.min(problems.length, MAX_LISTED_IMPORT_PROBLEMS).toLocaleString('en')}. Fix
          these, check again, and the next ones are listed.
        </Text>
      )}
      <Table.ScrollContainer minWidth={480} maxHeight={480}>
        <Table striped verticalSpacing="xs" aria-label="Problems" stickyHeader>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={80}>Row</Table.Th>
              <Table.Th w={200}>Column</Table.Th>
              <Table.Th>Problem</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {problems.map((problem, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a row may have the same problem twice; the list is replaced whole, never reordered
              <Table.Tr key={`${problem.row}:${problem.column ?? ''}:${index}`} data-code={problem.code}>
                <Table.Td>{problem.row}</Table.Td>
                <Table.Td>{problem.column ?? '—'}</Table.Td>
                <Table.Td>{problem.message}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

/** Said before a run, e.g. that the same file was already imported. */
export function ImportWarnings({ warnings }: { warnings: readonly string[] }) {
  if (warnings.length === 0) return null;
  return (
    <Alert
      color="yellow"
      variant="light"
      title={warnings.length === 1 ? 'Warning' : 'Warnings'}
      icon={<IconAlertTriangle size={18} aria-hidden />}
    >
      {warnings.length === 1 ? (
        warnings[0]
      ) : (
        <List size="sm">
          {warnings.map((warning) => (
            <List.Item key={warning}>{warning}</List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
