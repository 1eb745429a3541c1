import { Badge, type BadgeProps } from '@mantine/core';
import { DEVICE_STATUS_STYLE, type DeviceStatus } from '@thestorage/contracts';

/** DEV-3: a status in its own colour, the same everywhere; Discarded devices are kept but struck through. */
export function StatusBadge({ status, size = 'sm' }: { status: DeviceStatus; size?: BadgeProps['size'] }) {
  const { label, color } = DEVICE_STATUS_STYLE[status];
  return (
    <Badge
      color={color}
      variant={status === 'eol' ? 'filled' : 'light'}
      size={size}
      data-status={status}
      td={status === 'discarded' ? 'line-through' : undefined}
      // A status is never cut short: the badge keeps its full label even in a narrow table column.
      style={{ minWidth: 'max-content' }}
      styles={{ label: { overflow: 'visible' } }}
    >
      {label}
    </Badge>
  );
}
