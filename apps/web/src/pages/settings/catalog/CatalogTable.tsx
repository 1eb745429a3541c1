import { ActionIcon, Group, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconPencil, IconTrash } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { CatalogEntry } from './catalogWrites';

export interface CatalogColumn<E> {
  header: string;
  cell(entry: E): ReactNode;
}

export interface CatalogTableProps<E extends CatalogEntry> {
  /** Names the table, e.g. "Places". */
  label: string;
  /** In button labels: "Edit place Berlin office". */
  noun: string;
  entries: readonly E[];
  /** The name as shown (a coloured badge for tags); plain text by default. */
  nameCell?(entry: E): ReactNode;
  columns?: readonly CatalogColumn<E>[];
  empty: string;
  /** Without write access there are no edit or delete buttons at all. */
  canWrite: boolean;
  onEdit(entry: E): void;
  onDelete(entry: E): void;
}

/** One table for categories, places, tags and vendors: name, own columns, device count, actions. */
export function CatalogTable<E extends CatalogEntry>({
  label,
  noun,
  entries,
  nameCell,
  columns = [],
  empty,
  canWrite,
  onEdit,
  onDelete,
}: CatalogTableProps<E>) {
  if (entries.length === 0) {
    return (
      <Text size="sm" c="dimmed" p="lg">
        {empty}
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table verticalSpacing="sm" horizontalSpacing="md" aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            {columns.map((column) => (
              <Table.Th key={column.header}>{column.header}</Table.Th>
            ))}
            <Table.Th ta="right">Devices</Table.Th>
            {canWrite && (
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((entry) => (
            <Table.Tr key={entry.id} data-entry={entry.name}>
              <Table.Td>
                {nameCell ? (
                  nameCell(entry)
                ) : (
                  <Text size="sm" fw={500}>
                    {entry.name}
                  </Text>
                )}
              </Table.Td>
              {columns.map((column) => (
                <Table.Td key={column.header}>{column.cell(entry)}</Table.Td>
              ))}
              <Table.Td ta="right">
                <Text size="sm">{entry.deviceCount}</Text>
              </Table.Td>
              {canWrite && (
                <Table.Td>
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    <Tooltip label="Edit">
                      <ActionIcon
                        variant="subtle"
                        onClick={() => onEdit(entry)}
                        aria-label={`Edit ${noun} ${entry.name}`}
                      >
                        <IconPencil size={16} />
                      </ActionIcon>
                    </Tooltip>
                    <Tooltip label="Delete">
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        onClick={() => onDelete(entry)}
                        aria-label={`Delete ${noun} ${entry.name}`}
                      >
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Tooltip>
                  </Group>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
