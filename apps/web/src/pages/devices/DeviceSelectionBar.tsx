import { Button, Checkbox, Group, Paper, Stack, Text } from '@mantine/core';
import { IconX } from '@tabler/icons-react';
import { MAX_LABELS } from '../../api/devices';
import { PrintLabelsError, PrintLabelsMenu } from './PrintLabelsMenu';
import type { DeviceSelection } from './useDeviceSelection';
import { usePrintLabels } from './usePrintLabels';

export interface DeviceSelectionBarProps {
  selection: DeviceSelection;
  /** The devices on the page shown now, for "Select all on this page". */
  pageIds: readonly string[];
}

/** DEV-10: how many devices are selected (on any page), select all on this page, and their labels. */
export function DeviceSelectionBar({ selection, pageIds }: DeviceSelectionBarProps) {
  const labels = usePrintLabels();
  const selectedHere = pageIds.filter((id) => selection.isSelected(id)).length;
  const allHere = pageIds.length > 0 && selectedHere === pageIds.length;
  const tooMany = selection.count > MAX_LABELS;

  return (
    <Paper withBorder radius="lg" p="sm" component="section" aria-label="Selection">
      <Stack gap="xs">
        <Group justify="space-between" gap="sm" wrap="wrap">
          <Group gap="md" wrap="wrap">
            <Checkbox
              label="Select all on this page"
              checked={allHere}
              indeterminate={selectedHere > 0 && !allHere}
              disabled={pageIds.length === 0}
              onChange={() => selection.setMany(pageIds, !allHere)}
            />
            <Text size="sm" fw={500} role="status" data-testid="selection-count">
              {selection.count.toLocaleString('en')} selected
            </Text>
            <Button size="xs" variant="subtle" disabled={selection.count === 0} onClick={selection.clear}>
              Clear selection
            </Button>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <PrintLabelsMenu
              label="Print labels"
              disabled={selection.count === 0 || tooMany}
              loading={labels.isPending}
              onPrint={(format) => labels.mutate({ deviceIds: selection.ids, format })}
            />
            <Button
              variant="subtle"
              color="gray"
              leftSection={<IconX size={16} aria-hidden />}
              onClick={() => {
                labels.reset();
                selection.stop();
              }}
            >
              Done selecting
            </Button>
          </Group>
        </Group>
        {tooMany && (
          <Text size="sm" c="red">
            At most {MAX_LABELS} labels at once: unselect some devices to print.
          </Text>
        )}
        {labels.isError && <PrintLabelsError error={labels.error} />}
      </Stack>
    </Paper>
  );
}
