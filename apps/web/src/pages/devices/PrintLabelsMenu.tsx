import { Alert, Button, Menu } from '@mantine/core';
import {
  IconAlertTriangle,
  IconBarcode,
  IconChevronDown,
  IconPrinter,
  IconQrcode,
} from '@tabler/icons-react';
import { safeErrorMessage } from '../../api/client';
import type { LabelFormat } from '../../api/devices';

export interface PrintLabelsMenuProps {
  /** "Print label" on a device, "Print labels" for a selection. */
  label: string;
  disabled?: boolean;
  loading: boolean;
  onPrint(format: LabelFormat): void;
}

/** DEV-10: the label format is chosen from the button's menu; the PDF downloads right away. */
export function PrintLabelsMenu({ label, disabled, loading, onPrint }: PrintLabelsMenuProps) {
  return (
    <Menu position="bottom-end" shadow="md" withinPortal>
      <Menu.Target>
        <Button
          variant="default"
          leftSection={<IconPrinter size={16} aria-hidden />}
          rightSection={<IconChevronDown size={14} aria-hidden />}
          loading={loading}
          disabled={disabled}
        >
          {label}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Label format (PDF, 24 per A4 page)</Menu.Label>
        <Menu.Item leftSection={<IconQrcode size={16} aria-hidden />} onClick={() => onPrint('qr')}>
          QR code
        </Menu.Item>
        <Menu.Item leftSection={<IconBarcode size={16} aria-hidden />} onClick={() => onPrint('code128')}>
          Code 128
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

/** Why the labels could not be made, in the server's words. */
export function PrintLabelsError({ error }: { error: unknown }) {
  return (
    <Alert
      color="red"
      variant="light"
      role="alert"
      title="Could not print the labels"
      icon={<IconAlertTriangle size={18} aria-hidden />}
    >
      {safeErrorMessage(error)}
    </Alert>
  );
}
