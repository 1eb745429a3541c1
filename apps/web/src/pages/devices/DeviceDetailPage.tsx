import { Anchor, Breadcrumbs, Button, Card, Grid, Group, Stack, Text, Title } from '@mantine/core';
import { IconArrowsExchange, IconEdit, IconHistory, IconTrash } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import type { Device } from '@thestorage/contracts';
import { useEffect, useState } from 'react';
import { deviceQuery, isDeviceGone } from '../../api/devices';
import { mayChangeInventory } from '../../auth/access';
import { useSignedIn } from '../../auth/signedIn';
import { QueryState } from '../../components/QueryState';
import { StaleAlert } from '../../components/StaleAlert';
import { AssignmentPanel } from './AssignmentPanel';
import { CommentBox } from './CommentBox';
import { DeleteDeviceModal } from './DeleteDeviceModal';
import { DeviceFieldsCard } from './DeviceFieldsCard';
import { DeviceFormModal } from './DeviceFormModal';
import { DeviceImageCard } from './DeviceImageCard';
import { deviceNumber } from './deviceFormat';
import { HistoryModal } from './HistoryModal';
import { InvoiceCard } from './InvoiceCard';
import { MoveDeviceModal } from './MoveDeviceModal';
import { PrintLabelsError, PrintLabelsMenu } from './PrintLabelsMenu';
import { StatusBadge } from './StatusBadge';
import { useDeviceEditor } from './useDeviceEditor';
import { useDeviceLists } from './useDeviceLists';
import { usePrintLabels } from './usePrintLabels';
import { WarrantyShield } from './WarrantyShield';

const route = getRouteApi('/signed-in/devices/$id');

type Dialog = 'edit' | 'history' | 'move' | 'delete' | null;

function DeviceHeader({ device, onEditAll }: { device: Device; onEditAll?(): void }) {
  const labels = usePrintLabels();
  useEffect(() => {
    document.title = `${device.displayName} · TheStorage`;
  }, [device.displayName]);
  return (
    <Stack gap="xs" mb="lg">
      <Breadcrumbs separator="/" aria-label="Breadcrumb">
        <Anchor component={Link} to="/devices" size="sm">
          Devices
        </Anchor>
        <Text size="sm" c="dimmed" aria-current="page">
          {deviceNumber(device.number)}
        </Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-end" gap="md">
        <Stack gap={6} style={{ minWidth: 0 }}>
          <Title
            order={1}
            fz={{ base: 24, sm: 28 }}
            td={device.status === 'discarded' ? 'line-through' : undefined}
          >
            {device.displayName}
          </Title>
          <Group gap="xs" data-testid="device-summary">
            <Text ff="monospace" c="dimmed" data-testid="device-number">
              {deviceNumber(device.number)}
            </Text>
            <StatusBadge status={device.status} size="md" />
            <WarrantyShield device={device} />
          </Group>
        </Stack>
        <Group gap="xs">
          <PrintLabelsMenu
            label="Print label"
            loading={labels.isPending}
            onPrint={(format) => labels.mutate({ deviceIds: [device.id], format })}
          />
          {onEditAll && (
            <Button variant="default" leftSection={<IconEdit size={16} aria-hidden />} onClick={onEditAll}>
              Edit all
            </Button>
          )}
        </Group>
      </Group>
      {labels.isError && <PrintLabelsError error={labels.error} />}
    </Stack>
  );
}

function AdminPanel({ device, onMove, onDelete }: { device: Device; onMove(): void; onDelete(): void }) {
  return (
    <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby="device-admin">
      <Stack gap="sm">
        <Title order={2} fz="md" id="device-admin">
          Move or remove
        </Title>
        <Text size="sm" c="dimmed">
          Moving hands {device.displayName} to another tenant of your organization; deleting removes it for
          good.
        </Text>
        <Group gap="xs">
          <Button
            variant="default"
            size="sm"
            leftSection={<IconArrowsExchange size={16} aria-hidden />}
            onClick={onMove}
          >
            Move…
          </Button>
          <Button
            variant="light"
            color="red"
            size="sm"
            leftSection={<IconTrash size={16} aria-hidden />}
            onClick={onDelete}
          >
            Delete…
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

/** DEV-1…DEV-8: one device, its fields edited in place, and the side panel with assignment, history and more. */
function DeviceView({ device }: { device: Device }) {
  const me = useSignedIn();
  const editor = useDeviceEditor(device.id);
  const lists = useDeviceLists();
  const [dialog, setDialog] = useState<Dialog>(null);
  const mayEdit = mayChangeInventory(me, 'inventory.write');
  const mayMove = mayChangeInventory(me, 'devices.move');
  const mayDelete = mayChangeInventory(me, 'devices.delete');
  const close = () => setDialog(null);

  return (
    <>
      <DeviceHeader device={device} onEditAll={mayEdit ? () => setDialog('edit') : undefined} />
      {editor.stale && (
        <Stack mb="md">
          <StaleAlert what="this device" onReload={() => void editor.reload()} reloading={editor.reloading} />
        </Stack>
      )}
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <QueryState query={lists} label="the device details">
            {(data) => (
              <Stack gap="lg">
                <DeviceFieldsCard device={device} lists={data} editor={editor} mayEdit={mayEdit} />
                <InvoiceCard
                  device={device}
                  lists={data}
                  editor={editor}
                  mayEdit={mayEdit}
                  mayRestore={mayChangeInventory(me, 'devices.invoice.restore')}
                />
              </Stack>
            )}
          </QueryState>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="lg" component="aside" aria-label="Information">
            <DeviceImageCard device={device} editor={editor} mayEdit={mayEdit} />
            <AssignmentPanel device={device} editor={editor} mayEdit={mayEdit} />
            <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby="device-history">
              <Stack gap="sm">
                <Title order={2} fz="md" id="device-history">
                  History
                </Title>
                <Text size="sm" c="dimmed">
                  Everything that happened to this device, newest first.
                </Text>
                <Group>
                  <Button
                    variant="light"
                    size="sm"
                    leftSection={<IconHistory size={16} aria-hidden />}
                    onClick={() => setDialog('history')}
                  >
                    Show history
                  </Button>
                </Group>
              </Stack>
            </Card>
            {(mayMove || mayDelete) && (
              <AdminPanel
                device={device}
                onMove={() => setDialog('move')}
                onDelete={() => setDialog('delete')}
              />
            )}
            <CommentBox device={device} mayEdit={mayEdit} />
          </Stack>
        </Grid.Col>
      </Grid>
      <HistoryModal device={device} opened={dialog === 'history'} onClose={close} />
      {mayEdit && <DeviceFormModal device={device} opened={dialog === 'edit'} onClose={close} />}
      {mayMove && (
        <MoveDeviceModal device={device} editor={editor} opened={dialog === 'move'} onClose={close} />
      )}
      {mayDelete && (
        <DeleteDeviceModal device={device} editor={editor} opened={dialog === 'delete'} onClose={close} />
      )}
    </>
  );
}

function DeviceNotFound() {
  return (
    <Card withBorder radius="lg" padding="xl" maw={720}>
      <Stack gap="sm">
        <Title order={1} fz="xl">
          Device not found
        </Title>
        <Text size="sm">It was deleted, moved to another tenant, or the address is wrong.</Text>
        <Anchor component={Link} to="/devices" size="sm" fw={500}>
          Back to the devices
        </Anchor>
      </Stack>
    </Card>
  );
}

export function DeviceDetailPage() {
  const { id } = route.useParams();
  const device = useQuery(deviceQuery(id));
  if (device.isError && isDeviceGone(device.error)) return <DeviceNotFound />;
  return (
    <QueryState query={device} label="the device">
      {(data) => <DeviceView key={data.id} device={data} />}
    </QueryState>
  );
}
