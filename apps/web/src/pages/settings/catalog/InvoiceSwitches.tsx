import { Alert, Card, Stack, Switch, Text, Title } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import type { InventorySettings } from '@thestorage/contracts';

type SwitchName = 'invoiceManagement' | 'customInvoiceData' | 'invoiceUploads';

export interface InvoiceSwitchesProps {
  fields: Record<SwitchName, boolean>;
  /** Invoice management is a Professional+ feature. */
  inPlan: boolean;
  onChange(field: SwitchName, value: boolean): void;
}

const NOT_IN_PLAN =
  'Invoice management needs the Professional plan. The switches are kept, but devices show no invoice data until the plan includes it.';

/** The switches in order; the two below invoice management can only change while it is on. */
const SWITCHES: readonly { name: SwitchName; label: string; description: string }[] = [
  {
    name: 'invoiceManagement',
    label: 'Invoice management',
    description: 'Invoice number, date and vendor on every device. Off hides them; nothing is deleted.',
  },
  {
    name: 'customInvoiceData',
    label: 'Custom invoice data',
    description: 'The PO extension field (with invoice management on).',
  },
  {
    name: 'invoiceUploads',
    label: 'Invoice uploads',
    description:
      'An invoice PDF per device (at most 2 MB, stored encrypted; removed ones are restorable for 14 days).',
  },
];

/** DEV-1: the tenant's invoice switches. Turning one off hides what it covers on devices; nothing is deleted. */
export function InvoiceSwitches({ fields, inPlan, onChange }: InvoiceSwitchesProps) {
  const management = fields.invoiceManagement;
  return (
    <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby="invoices-title">
      <Stack gap="sm">
        <Title order={2} fz="lg" id="invoices-title">
          Invoices
        </Title>
        {!inPlan && (
          <Alert color="yellow" variant="light" icon={<IconInfoCircle size={18} aria-hidden />}>
            {NOT_IN_PLAN}
          </Alert>
        )}
        {SWITCHES.map(({ name, label, description }) => (
          <Switch
            key={name}
            label={label}
            description={description}
            checked={fields[name]}
            disabled={name !== 'invoiceManagement' && !management}
            onChange={(event) => onChange(name, event.currentTarget.checked)}
          />
        ))}
        <Text size="xs" c="dimmed">
          Turning a switch off hides the data on devices; turning it on again shows it as it was.
        </Text>
      </Stack>
    </Card>
  );
}

const onOff = (on: boolean) => (on ? 'On' : 'Off');

/** The invoice switches as text, for those who read the settings but do not change them. */
export function invoiceSummaryRows(settings: InventorySettings): [string, string][] {
  return [
    [
      'Invoice management',
      settings.invoiceManagementInPlan
        ? onOff(settings.invoiceManagement)
        : `${onOff(settings.invoiceManagement)} (needs the Professional plan)`,
    ],
    ['Custom invoice data (PO extension)', onOff(settings.customInvoiceData)],
    ['Invoice uploads', onOff(settings.invoiceUploads)],
  ];
}
