import {
  Alert,
  Button,
  Card,
  Divider,
  FileButton,
  Group,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconDownload,
  IconFileTypePdf,
  IconRestore,
  IconTrash,
  IconUpload,
} from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import type { Device } from '@thestorage/contracts';
import { useState } from 'react';
import { safeErrorMessage } from '../../api/client';
import { formatFileSize, uploadProblem, useDeviceFileWrites } from '../../api/deviceFiles';
import { isStaleDevice } from '../../api/devices';
import { saveFile } from '../../api/saveFile';
import { ConfirmFileRemoval } from './ConfirmFileRemoval';
import type { DeviceFormLists } from './DeviceFormFields';
import { formatDay, formatMoment } from './deviceFormat';
import { InlineField } from './InlineField';
import type { DeviceEditor } from './useDeviceEditor';
import { useDeviceFileAction } from './useDeviceFileAction';

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

  return (
    <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby="device-invoice">
      <Stack gap="md">
        <Title order={2} fz="lg" id="device-invoice">
          Invoice
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="md">
          <InlineField
            kind="text"
            label="Invoice number"
            maxLength={60}
            value={device.invoiceNumber ?? ''}
            onSave={(invoiceNumber) => editor.save('invoiceNumber', { invoiceNumber: orNull(invoiceNumber) })}
            {...common('invoiceNumber')}
          />
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
          {shown.customData && (
            <InlineField
              kind="text"
              label="PO extension"
              maxLength={60}
              value={device.poExtension ?? ''}
              onSave={(poExtension) => editor.save('poExtension', { poExtension: orNull(poExtension) })}
              {...common('poExtension')}
            />
          )}
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
  const change = useDeviceFileAction(device, editor);
  const writes = useDeviceFileWrites();
  const [problem, setProblem] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const download = useMutation({
    mutationFn: () => writes.downloadInvoice(device.id),
    onSuccess: (file) => saveFile(file, `invoice-${device.number}.pdf`),
  });
  const file = device.invoiceFile;
  const active = file !== null && file.deletedAt === null;
  const locked = editor.stale || change.isPending;

  const upload = (chosen: File | null) => {
    if (!chosen) return;
    const refused = uploadProblem('invoice', chosen);
    setProblem(refused);
    if (!refused) change.mutate({ action: 'upload', kind: 'invoice', file: chosen });
  };
  const failure =
    problem ?? (change.isError && !isStaleDevice(change.error) ? safeErrorMessage(change.error) : null);

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
        {mayEdit && (
          <FileButton onChange={upload} accept="application/pdf">
            {(props) => (
              <Button
                {...props}
                variant="default"
                size="sm"
                leftSection={<IconUpload size={16} aria-hidden />}
                loading={change.isPending && change.variables?.action === 'upload'}
                disabled={locked}
              >
                {active ? 'Replace PDF' : 'Upload PDF'}
              </Button>
            )}
          </FileButton>
        )}
        {mayEdit && active && (
          <Button
            variant="subtle"
            color="red"
            size="sm"
            leftSection={<IconTrash size={16} aria-hidden />}
            disabled={locked}
            onClick={() => setConfirming(true)}
          >
            Remove PDF
          </Button>
        )}
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
      {failure && (
        <Alert color="red" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden />}>
          {failure}
        </Alert>
      )}
      {download.isError && (
        <Alert color="red" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden />}>
          Could not download: {safeErrorMessage(download.error)}
        </Alert>
      )}
      <ConfirmFileRemoval
        opened={confirming}
        title="Remove the invoice PDF?"
        body="An Administrator can restore it for 14 days; after that it is deleted for good."
        confirmLabel="Remove PDF"
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          setProblem(null);
          change.mutate({ action: 'remove', kind: 'invoice' });
        }}
      />
    </Stack>
  );
}
