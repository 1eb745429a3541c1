import { Anchor, Badge, Card, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { recentImportsQuery } from '../../../api/imports';
import { QueryState } from '../../../components/QueryState';
import { formatMoment } from '../deviceFormat';
import { IMPORT_STATUS_STYLE, importOutcome } from './importLabels';

/** DEV-12: the tenant's latest imports (file, who, when, status, outcome); each opens again here. */
export function RecentImports() {
  const query = useQuery(recentImportsQuery);
  return (
    <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby="recent-imports-title">
      <Stack gap="sm">
        <Title order={2} fz="lg" id="recent-imports-title">
          Recent imports
        </Title>
        <QueryState query={query} label="the recent imports">
          {({ imports }) =>
            imports.length === 0 ? (
              <Text size="sm" c="dimmed">
                No imports yet.
              </Text>
            ) : (
              <Table.ScrollContainer minWidth={640}>
                <Table verticalSpacing="xs" aria-label="Recent imports">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>File</Table.Th>
                      <Table.Th>By</Table.Th>
                      <Table.Th>When</Table.Th>
                      <Table.Th>Status</Table.Th>
                      <Table.Th>Outcome</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {imports.map((deviceImport) => {
                      const status = IMPORT_STATUS_STYLE[deviceImport.status];
                      return (
                        <Table.Tr key={deviceImport.id} data-import={deviceImport.id}>
                          <Table.Td>
                            <Anchor
                              renderRoot={(root) => (
                                <Link {...root} to="/devices/import" search={{ id: deviceImport.id }} />
                              )}
                              size="sm"
                              fw={500}
                            >
                              {deviceImport.fileName}
                            </Anchor>
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm">{deviceImport.createdBy}</Text>
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm">{formatMoment(deviceImport.createdAt)}</Text>
                          </Table.Td>
                          <Table.Td>
                            <Badge color={status.color} variant="light">
                              {status.label}
                            </Badge>
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm">{importOutcome(deviceImport)}</Text>
                          </Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )
          }
        </QueryState>
      </Stack>
    </Card>
  );
}
