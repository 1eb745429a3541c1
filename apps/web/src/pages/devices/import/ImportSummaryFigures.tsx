import { Badge, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import type { ImportSummary } from '@thestorage/contracts';

function Figure({ label, value }: { label: string; value: number }) {
  return (
    <Paper withBorder radius="md" p="sm" data-figure={label}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz="xl" fw={700}>
        {value.toLocaleString('en')}
      </Text>
    </Paper>
  );
}

function NewNames({ label, names }: { label: string; names: readonly string[] }) {
  if (names.length === 0) return null;
  return (
    <Group gap="xs" align="center">
      <Text size="sm" fw={500}>
        {label}:
      </Text>
      {names.map((name) => (
        <Badge key={name} variant="light" color="gray" tt="none">
          {name}
        </Badge>
      ))}
    </Group>
  );
}

/**
 * DEV-12: what a check found (rows to create, update or leave alone, and the names the import adds to the
 * catalog) or, after the run, what was done.
 */
export function ImportSummaryFigures({ summary, done }: { summary: ImportSummary; done: boolean }) {
  return (
    <Stack gap="sm" aria-label={done ? 'Import result' : 'Check result'} role="group">
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
        <Figure label="Rows" value={summary.rows} />
        <Figure label={done ? 'Created' : 'To create'} value={summary.create} />
        <Figure label={done ? 'Updated' : 'To update'} value={summary.update} />
        <Figure label="Unchanged" value={summary.unchanged} />
      </SimpleGrid>
      <NewNames label="New categories" names={summary.newCategories} />
      <NewNames label="New tags" names={summary.newTags} />
      <NewNames label="New vendors" names={summary.newVendors} />
    </Stack>
  );
}
