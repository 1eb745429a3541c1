import { Alert, Badge, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconAlertTriangle, IconPlugConnectedX } from '@tabler/icons-react';
import type { DirectoryConnection } from '@thestorage/contracts';
import { DisconnectDirectoryModal } from './DisconnectDirectoryModal';
import {
  connectionStatusColor,
  connectionStatusLabel,
  directoryKindLabel,
  formatDateTime,
} from './directoryLabels';
import { SyncUsersPanel } from './SyncUsersPanel';

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm">{value}</Text>
    </Stack>
  );
}

/** Which directory, whether syncs work, when the last one ran and how many people it brought. */
export function ConnectionStatusCard({ connection }: { connection: DirectoryConnection }) {
  const [confirming, confirm] = useDisclosure(false);
  const disconnected = connection.status === 'disconnected';
  return (
    <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby="connection-title">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start">
          <Group gap="sm">
            <Title order={2} fz="lg" id="connection-title">
              {directoryKindLabel[connection.kind]}
            </Title>
            <Badge
              variant="light"
              color={connectionStatusColor[connection.status]}
              data-testid="connection-status"
            >
              {connectionStatusLabel[connection.status]}
            </Badge>
          </Group>
          {!disconnected && (
            <Button
              variant="subtle"
              color="red"
              leftSection={<IconPlugConnectedX size={16} aria-hidden />}
              onClick={confirm.open}
            >
              Disconnect
            </Button>
          )}
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
          <Fact label="Last sync" value={formatDateTime(connection.lastSyncAt)} />
          <Fact label="Last successful sync" value={formatDateTime(connection.lastSuccessAt)} />
          <Fact
            label="People"
            value={connection.lastCount === null ? '—' : connection.lastCount.toLocaleString('en')}
          />
        </SimpleGrid>
        <Text size="sm" c="dimmed">
          Synced every day at {connection.syncTime} ({connection.syncTimeZone}) and whenever you sync by hand.
        </Text>
        {connection.lastError && (
          <Alert
            color="red"
            variant="light"
            title="The last sync failed"
            icon={<IconAlertTriangle size={18} aria-hidden />}
          >
            {connection.lastError.message}
          </Alert>
        )}
        {disconnected ? (
          <Text size="sm">
            Disconnected: no more syncs. Names disappear 14 days after the last successful sync; connect again
            below to keep them.
          </Text>
        ) : (
          <SyncUsersPanel />
        )}
      </Stack>
      <DisconnectDirectoryModal opened={confirming} onClose={confirm.close} />
    </Card>
  );
}
