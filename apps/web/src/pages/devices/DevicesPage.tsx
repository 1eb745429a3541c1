import {
  Box,
  Button,
  Card,
  Group,
  NativeSelect,
  SegmentedControl,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import {
  IconCheckbox,
  IconDeviceLaptop,
  IconFileImport,
  IconLayoutGrid,
  IconList,
  IconPlus,
  IconSortAscending,
  IconSortDescending,
} from '@tabler/icons-react';
import { getRouteApi, Link } from '@tanstack/react-router';
import type { Device } from '@thestorage/contracts';
import { useState } from 'react';
import type { DeviceSort, SortOrder } from '../../api/devices';
import { mayChangeInventory } from '../../auth/access';
import { useSignedIn } from '../../auth/signedIn';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { DeviceCards } from './DeviceCards';
import { DeviceFilters } from './DeviceFilters';
import { DeviceFormModal } from './DeviceFormModal';
import { DevicePager } from './DevicePager';
import { DeviceSelectionBar } from './DeviceSelectionBar';
import { DeviceTable } from './DeviceTable';
import {
  DEFAULT_ORDER,
  DEFAULT_PAGE_SIZE,
  DEFAULT_SORT,
  type DeviceListSearch,
  isFiltered,
  listParamsOf,
  NO_FILTERS,
} from './deviceListSearch';
import { ExportMenu } from './ExportMenu';
import { useDevicePages } from './useDevicePages';
import { useDeviceSelection } from './useDeviceSelection';

const route = getRouteApi('/signed-in/devices');

const SORT_LABELS: Record<DeviceSort, string> = {
  number: 'Number',
  name: 'Name',
  barcode: 'Barcode',
  created: 'Created',
  modified: 'Modified',
};

function Toolbar({
  search,
  onChange,
  onSelect,
  mayImport,
}: {
  search: DeviceListSearch;
  onChange(patch: Partial<DeviceListSearch>): void;
  /** Starts selection mode; absent while selecting. */
  onSelect?(): void;
  /** DEV-12: people who may change the inventory get the Import button. */
  mayImport: boolean;
}) {
  const order = search.order ?? DEFAULT_ORDER;
  return (
    <Group justify="space-between" gap="sm" wrap="wrap">
      <Group gap="sm" wrap="wrap">
        <SegmentedControl
          aria-label="View"
          value={search.view ?? 'cards'}
          onChange={(view) => onChange({ view: view === 'list' ? 'list' : undefined })}
          data={[
            {
              value: 'cards',
              label: (
                <Group gap={6} wrap="nowrap">
                  <IconLayoutGrid size={16} aria-hidden />
                  <span>Cards</span>
                </Group>
              ),
            },
            {
              value: 'list',
              label: (
                <Group gap={6} wrap="nowrap">
                  <IconList size={16} aria-hidden />
                  <span>List</span>
                </Group>
              ),
            },
          ]}
        />
        {onSelect && (
          <Button variant="default" leftSection={<IconCheckbox size={16} aria-hidden />} onClick={onSelect}>
            Select
          </Button>
        )}
        <ExportMenu params={listParamsOf(search)} />
        {mayImport && (
          <Button
            component={Link}
            to="/devices/import"
            variant="default"
            leftSection={<IconFileImport size={16} aria-hidden />}
          >
            Import
          </Button>
        )}
      </Group>
      <Group gap="xs" wrap="nowrap">
        <NativeSelect
          aria-label="Sort by"
          size="sm"
          value={search.sort ?? DEFAULT_SORT}
          data={Object.entries(SORT_LABELS).map(([value, label]) => ({
            value,
            label: `Sort by ${label.toLowerCase()}`,
          }))}
          onChange={(event) => onChange({ sort: event.currentTarget.value as DeviceSort })}
        />
        <NativeSelect
          aria-label="Order"
          size="sm"
          value={order}
          leftSection={
            order === 'asc' ? (
              <IconSortAscending size={16} aria-hidden />
            ) : (
              <IconSortDescending size={16} aria-hidden />
            )
          }
          data={[
            { value: 'asc', label: 'Ascending' },
            { value: 'desc', label: 'Descending' },
          ]}
          onChange={(event) => onChange({ order: event.currentTarget.value as SortOrder })}
        />
      </Group>
    </Group>
  );
}

function NoDevices({ filtered, onAdd, onClear }: { filtered: boolean; onAdd?(): void; onClear(): void }) {
  return (
    <Card withBorder radius="lg" padding="xl">
      <Stack align="center" gap="sm" ta="center" py="md">
        <ThemeIcon size={52} radius="xl" variant="light" aria-hidden>
          <IconDeviceLaptop size={28} stroke={1.5} />
        </ThemeIcon>
        <Title order={2} fz="lg">
          {filtered ? 'No device matches these filters' : 'No devices yet'}
        </Title>
        <Text size="sm" c="dimmed" maw={480}>
          {filtered
            ? 'Change or clear the filters to see more devices.'
            : 'Add the laptops, phones and monitors of this tenant to keep track of who holds them.'}
        </Text>
        {filtered ? (
          <Button variant="light" onClick={onClear}>
            Clear filters
          </Button>
        ) : (
          onAdd && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={onAdd}>
              Add device
            </Button>
          )
        )}
      </Stack>
    </Card>
  );
}

/** DEV-9: the devices of this tenant as cards or a list, filtered, sorted and paged by cursor. */
export function DevicesPage() {
  const me = useSignedIn();
  const search: DeviceListSearch = route.useSearch();
  const navigate = route.useNavigate();
  const [adding, setAdding] = useState(false);
  const mayAdd = mayChangeInventory(me, 'inventory.write');
  const params = listParamsOf(search);
  const pages = useDevicePages(params);
  const selection = useDeviceSelection(me.activeTenant?.id ?? '');
  const selectable = selection.active ? selection : undefined;

  const change = (patch: Partial<DeviceListSearch>) =>
    void navigate({ search: (previous) => ({ ...previous, ...patch }), replace: true });
  const clear = () => change(NO_FILTERS);
  const add = mayAdd ? () => setAdding(true) : undefined;

  const results = (devices: readonly Device[], total: number, totalCapped: boolean) => {
    if (devices.length === 0 && pages.pageIndex === 0) {
      return <NoDevices filtered={isFiltered(search)} onAdd={add} onClear={clear} />;
    }
    return (
      <Stack gap="md">
        <Box
          aria-busy={pages.query.isPlaceholderData}
          style={{ opacity: pages.query.isPlaceholderData ? 0.6 : 1, transition: 'opacity 120ms' }}
        >
          {search.view === 'list' ? (
            <Card withBorder radius="lg" padding={0}>
              <DeviceTable devices={devices} selection={selectable} />
            </Card>
          ) : (
            <DeviceCards devices={devices} selection={selectable} />
          )}
        </Box>
        <DevicePager
          pageIndex={pages.pageIndex}
          pageSize={search.size ?? DEFAULT_PAGE_SIZE}
          shown={devices.length}
          total={total}
          totalCapped={totalCapped}
          hasPrevious={pages.hasPrevious}
          hasNext={pages.hasNext}
          busy={pages.query.isFetching}
          onPrevious={pages.previous}
          onNext={pages.next}
          onPageSize={(size) => change({ size: size === DEFAULT_PAGE_SIZE ? undefined : size })}
        />
      </Stack>
    );
  };

  return (
    <>
      <PageHeader
        title="Devices"
        description="Every laptop, phone and monitor of this tenant: who or where holds it, its status and its history."
        actions={
          add && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={add}>
              Add device
            </Button>
          )
        }
      />
      <Stack gap="md">
        <DeviceFilters search={search} onChange={change} />
        <Toolbar
          search={search}
          onChange={change}
          onSelect={selection.active ? undefined : selection.start}
          mayImport={mayAdd}
        />
        {selection.active && (
          <DeviceSelectionBar
            selection={selection}
            pageIds={
              // While the next page loads, the one still shown is not "this page".
              pages.query.isPlaceholderData
                ? []
                : (pages.query.data?.devices.map((device) => device.id) ?? [])
            }
          />
        )}
        <QueryState query={pages.query} label="the devices">
          {(page) => results(page.devices, page.total, page.totalCapped)}
        </QueryState>
      </Stack>
      {mayAdd && <DeviceFormModal opened={adding} onClose={() => setAdding(false)} />}
    </>
  );
}
