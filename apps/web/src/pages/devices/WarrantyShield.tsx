import { ThemeIcon, Tooltip } from '@mantine/core';
import { IconShieldCheck, IconShieldX } from '@tabler/icons-react';
import type { Device } from '@thestorage/contracts';
import { formatDay } from './deviceFormat';

/** DEV-1: a green shield while the warranty runs, a red one once it ended, nothing when unknown. */
export function WarrantyShield({ device }: { device: Pick<Device, 'warrantyState' | 'warrantyEnd'> }) {
  if (device.warrantyState === 'unknown') return null;
  const valid = device.warrantyState === 'valid';
  const label = valid
    ? `Warranty valid until ${formatDay(device.warrantyEnd)}`
    : `Warranty expired on ${formatDay(device.warrantyEnd)}`;
  const Icon = valid ? IconShieldCheck : IconShieldX;
  return (
    <Tooltip label={label} events={{ hover: true, focus: true, touch: true }}>
      <ThemeIcon
        size="sm"
        radius="xl"
        variant="light"
        color={valid ? 'green' : 'red'}
        role="img"
        aria-label={label}
        tabIndex={0}
        data-warranty={device.warrantyState}
      >
        <Icon size={14} stroke={1.8} aria-hidden />
      </ThemeIcon>
    </Tooltip>
  );
}
