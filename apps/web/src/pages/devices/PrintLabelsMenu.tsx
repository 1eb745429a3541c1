import { Button, Menu } from '@mantine/core';
import { IconBarcode, IconChevronDown, IconPrinter, IconQrcode } from '@tabler/icons-react';
import type { LabelFormat } from '../../api/devices';
import { ErrorAlert } from '../../components/ErrorAlert';

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
  return <ErrorAlert error={error} title="Could not print the labels" />;
}
