import { NativeSelect, Table, Text } from '@mantine/core';
import {
  type DeviceImport,
  IMPORT_FIELD_LABELS,
  IMPORT_FIELDS,
  type ImportField,
} from '@thestorage/contracts';

const FIELD_OPTIONS = IMPORT_FIELDS.map((field) => ({ value: field, label: IMPORT_FIELD_LABELS[field] }));

/**
 * DEV-12: the file's columns with a sample value each and the field each one feeds, preselected by the
 * server's matching of the headers; any choice can be changed before the check.
 */
export function ImportMappingTable({
  deviceImport,
  fields,
  disabled,
  onChange,
}: {
  deviceImport: DeviceImport;
  fields: Readonly<Record<number, ImportField>>;
  disabled: boolean;
  onChange(index: number, field: ImportField): void;
}) {
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table verticalSpacing="xs" aria-label="Columns">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Column in the file</Table.Th>
            <Table.Th>Sample value</Table.Th>
            <Table.Th w={320}>Imported as</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {deviceImport.columns.map((column) => {
            const field = fields[column.index] ?? column.field;
            const header = column.header.trim() === '' ? `Column ${column.index + 1}` : column.header;
            return (
              <Table.Tr key={column.index} data-column={column.header} data-field={field}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {header}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {column.sample === null ? (
                    <Text size="sm" c="dimmed" fs="italic">
                      empty
                    </Text>
                  ) : (
                    <Text size="sm" lineClamp={1} title={column.sample}>
                      {column.sample}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <NativeSelect
                    size="xs"
                    aria-label={`Field for column ${header}`}
                    value={field}
                    data={FIELD_OPTIONS}
                    disabled={disabled}
                    onChange={(event) => onChange(column.index, event.currentTarget.value as ImportField)}
                  />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
