import { Button, Card, Divider, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconDownload, IconFileTypePdf, IconRestore } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import type { Device } from '@thestorage/contracts';
import { safeErrorMessage } from '../../api/client';
import { formatFileSize, useDeviceFileWrites } from '../../api/deviceFiles';
import { saveFile } from '../../api/saveFile';
import { ConfirmFileRemoval } from './ConfirmFileRemoval';
import { FileFailureAlert, UploadRemoveButtons, useDeviceFileControls } from './DeviceFileControls';
import type { DeviceFormLists } from './DeviceFormFields';
import { formatDay, formatMoment } from './deviceFormat';
import { InlineField } from './InlineField';
import type { DeviceEditor } from './useDeviceEditor';

const orNull = (text: string) => (text === '' ? null : text);

export interface InvoiceCardProps {
  device: Device;
  lists: DeviceFormLists;
  editor: DeviceEditor;
  mayEdit: boolean;
  /** Administrators bring back a removed PDF within its 14 days. */
  mayRestore: boolean;
}

/**
 * DEV-1: the invoice of a device — number, date, vendor, PO extension (when custom invoice data is on) and
 * the PDF (when uploads are on). Not shown at all while the tenant's invoice management is off.
 */
export function InvoiceCard({ device, lists, editor, mayEdit, mayRestore }: InvoiceCardProps) {
  const shown = device.invoiceSettings;
  if (!shown.management) return null;
  const common = (field: string) => ({
    saveState: editor.fields[field],
    generation: editor.generation,
    readOnly: !mayEdit,
    locked: editor.stale,
  });
  /** Invoice number and PO extension: free text of at most 60 characters, saved as none when emptied. */
  const optionalText = (field: 'invoiceNumber' | 'poExtension', label: string) => (
    <InlineField
      kind="text"
      label={label}
      maxLength={60}
      value={device[field] ?? ''}
      onSave={(text) => editor.save(field, { [field]: orNull(text) })}
      {...common(field)}
    />
  );

  return (
    <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby="device-invoice">
      <Stack gap="md">
        <Title order={2} fz="lg" id="device-invoice">
          Invoice
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="md">
          {optionalText('invoiceNumber', 'Invoice number')}
          <InlineField
            kind="text"
            type="date"
            label="Invoice date"
            value={device.invoiceDate ?? ''}
            display={formatDay(device.invoiceDate)}
            onSave={(invoiceDate) => editor.save('invoiceDate', { invoiceDate: orNull(invoiceDate) })}
            {...common('invoiceDate')}
          />
          <InlineField
            kind="select"
            label="Vendor"
            value={device.vendor?.id ?? ''}
            data={[
              { value: '', label: 'No vendor' },
              ...lists.vendors.map((v) => ({ value: v.id, label: v.name })),
            ]}
            display={device.vendor?.name ?? '—'}
            onSave={(vendorId) => editor.save('vendorId', { vendorId: orNull(vendorId) })}
            {...common('vendorId')}
          />
          {shown.customData && optionalText('poExtension', 'PO extension')}
        </SimpleGrid>
        {shown.uploads && (
          <>
            <Divider label="Invoice PDF" labelPosition="left" />
            <InvoicePdf device={device} editor={editor} mayEdit={mayEdit} mayRestore={mayRestore} />
          </>
        )}
      </Stack>
    </Card>
  );
}

function InvoicePdf({ device, editor, mayEdit, mayRestore }: Omit<InvoiceCardProps, 'lists'>) {
  const files = useDeviceFileControls(device, editor, 'invoice');
  const { change, locked } = files;
  const writes = useDeviceFileWrites();
  const download = useMutation({
    mutationFn: () => writes.downloadInvoice(device.id),
    onSuccess: (file) => saveFile(file, `invoice-${device.number}.pdf`),
  });
  const file = device.invoiceFile;
  const active = file !== null && file.deletedAt === null;

  return (
    <Stack gap="sm">
      <Group gap="xs" wrap="nowrap" data-testid="invoice-file">
        <IconFileTypePdf size={20} aria-hidden color="var(--mantine-color-red-7)" />
        <Text size="sm">
          {active
            ? `PDF, ${formatFileSize(file.size)}, uploaded ${formatMoment(file.uploadedAt)}`
            : file?.restorableUntil
              ? `Removed ${formatMoment(file.deletedAt!)}; it can be restored until ${formatMoment(file.restorableUntil)}.`
              : 'No invoice PDF yet.'}
        </Text>
      </Group>
      <Group gap="xs">
        {active && (
          <Button
            variant="light"
            size="sm"
            leftSection={<IconDownload size={16} aria-hidden />}
            loading={download.isPending}
            onClick={() => download.mutate()}
          >
            Download PDF
          </Button>
        )}
        {mayEdit && <UploadRemoveButtons controls={files} present={active} noun="PDF" />}
        {mayRestore && !active && file?.restorableUntil && (
          <Button
            variant="light"
            size="sm"
            leftSection={<IconRestore size={16} aria-hidden />}
            loading={change.isPending && change.variables?.action === 'restore'}
            disabled={locked}
            onClick={() => change.mutate({ action: 'restore' })}
          >
            Restore PDF
          </Button>
        )}
      </Group>
      {files.failure && <FileFailureAlert>{files.failure}</FileFailureAlert>}
      {download.isError && (
        <FileFailureAlert>Could not download: {safeErrorMessage(download.error)}</FileFailureAlert>
      )}
      <ConfirmFileRemoval
        {...files.removal}
        title="Remove the invoice PDF?"
        body="An Administrator can restore it for 14 days; after that it is deleted for good."
        confirmLabel="Remove PDF"
      />
    </Stack>
  );
}
