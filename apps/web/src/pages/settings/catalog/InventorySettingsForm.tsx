import {
  Alert,
  Anchor,
  Button,
  Card,
  Code,
  Group,
  NativeSelect,
  Radio,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconInfoCircle } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import {
  type InventorySettings,
  inventorySettingsSchema,
  inventorySettingsUpdateSchema,
  type Place,
} from '@thestorage/contracts';
import { type FormEvent, useState } from 'react';
import { INVENTORY_SETTINGS_PATH, inventorySettingsQuery, placesQuery } from '../../../api/catalog';
import { fieldErrorsOf, safeErrorMessage } from '../../../api/client';
import { useApiWrite } from '../../../api/session';
import { type FieldErrors, fieldErrorsOfIssues, hasErrors } from './catalogErrors';
import { InvoiceSwitches } from './InvoiceSwitches';
import {
  BARCODE_DIGITS,
  type BarcodeMode,
  barcodeModes,
  companyDeviceIdExample,
  NO_DEFAULT_PLACE,
} from './inventorySettingsLabels';
import { WriteErrorAlert } from './WriteErrorAlert';

interface Fields {
  /** '' for none. */
  defaultPlaceId: string;
  barcodeMode: BarcodeMode;
  barcodePrefix: string;
  barcodeDigits: number;
  invoiceManagement: boolean;
  customInvoiceData: boolean;
  invoiceUploads: boolean;
}

const fieldsOf = (settings: InventorySettings): Fields => ({
  defaultPlaceId: settings.defaultPlaceId ?? '',
  barcodeMode: settings.barcodeMode,
  barcodePrefix: settings.barcodePrefix,
  barcodeDigits: settings.barcodeDigits,
  invoiceManagement: settings.invoiceManagement,
  customInvoiceData: settings.customInvoiceData,
  invoiceUploads: settings.invoiceUploads,
});

const bodyOf = (fields: Fields) => ({
  defaultPlaceId: fields.defaultPlaceId || null,
  barcodeMode: fields.barcodeMode,
  barcodePrefix: fields.barcodePrefix,
  barcodeDigits: fields.barcodeDigits,
  invoiceManagement: fields.invoiceManagement,
  customInvoiceData: fields.customInvoiceData,
  invoiceUploads: fields.invoiceUploads,
});

interface InventorySettingsFormProps {
  settings: InventorySettings;
  places: readonly Place[];
  /** Reads the settings and places again; throws when they could not be read. */
  reload(): Promise<InventorySettings>;
}

/** Administrators: the default place (DEV-4) and the barcode scheme (DEV-10), saved with the version read. */
export function InventorySettingsForm({ settings, places, reload }: InventorySettingsFormProps) {
  const api = useApiWrite();
  const queryClient = useQueryClient();
  const [fields, setFields] = useState<Fields>(() => fieldsOf(settings));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [notice, setNotice] = useState<'saved' | 'reloaded' | null>(null);
  const [reloading, setReloading] = useState(false);
  const [reloadError, setReloadError] = useState<unknown>(null);

  const save = useMutation({
    mutationFn: (body: ReturnType<typeof bodyOf>) =>
      api.put(INVENTORY_SETTINGS_PATH, { ...body, version: settings.version }, inventorySettingsSchema),
    onSuccess: async (saved) => {
      queryClient.setQueryData(inventorySettingsQuery.queryKey, saved);
      setFields(fieldsOf(saved));
      setNotice('saved');
      // The places list marks the default place.
      await queryClient.invalidateQueries({ queryKey: placesQuery.queryKey });
    },
    onError: async (error) => {
      setErrors(fieldErrorsOf(error));
      // The chosen place was deleted meanwhile: the list of places is read again.
      await queryClient.invalidateQueries({ queryKey: placesQuery.queryKey });
    },
  });

  const set = <K extends keyof Fields>(field: K, value: Fields[K]) => {
    setFields((current) => ({ ...current, [field]: value }));
    setErrors((current) => {
      const { [field]: _cleared, ...rest } = current;
      return rest;
    });
    setNotice(null);
  };

  const reloadCurrent = async () => {
    setReloading(true);
    setReloadError(null);
    try {
      const fresh = await reload();
      setFields(fieldsOf(fresh));
      setErrors({});
      save.reset();
      setNotice('reloaded');
    } catch (error) {
      setReloadError(error);
    } finally {
      setReloading(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = inventorySettingsUpdateSchema.safeParse({ ...bodyOf(fields), version: settings.version });
    if (!checked.success) {
      setErrors(fieldErrorsOfIssues(checked.error));
      return;
    }
    setErrors({});
    setNotice(null);
    save.mutate(bodyOf(fields));
  };

  const unchanged = JSON.stringify(fields) === JSON.stringify(fieldsOf(settings));

  return (
    <form onSubmit={submit} noValidate aria-label="Inventory settings">
      <Stack gap="lg">
        {notice === 'saved' && (
          <Alert color="teal" variant="light" role="status" icon={<IconCircleCheck size={18} aria-hidden />}>
            Inventory settings saved.
          </Alert>
        )}
        {notice === 'reloaded' && (
          <Alert color="blue" variant="light" role="status" icon={<IconInfoCircle size={18} aria-hidden />}>
            Reloaded: the form shows the current settings.
          </Alert>
        )}
        {save.isError && !hasErrors(errors) && (
          <WriteErrorAlert
            error={save.error}
            what="inventory settings"
            onReload={() => void reloadCurrent()}
            reloading={reloading}
          />
        )}
        {reloadError !== null && (
          <Alert color="red" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden />}>
            Could not reload: {safeErrorMessage(reloadError)}
          </Alert>
        )}
        <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby="new-devices-title">
          <Stack gap="sm">
            <Title order={2} fz="lg" id="new-devices-title">
              New devices
            </Title>
            <NativeSelect
              label="Default place for new devices"
              description={
                places.length === 0 ? (
                  <>
                    There are no places yet: add one under{' '}
                    <Anchor component={Link} to="/settings/places" size="xs">
                      Settings → Places
                    </Anchor>
                    .
                  </>
                ) : (
                  'New devices are assigned here; with none, they go to IT.'
                )
              }
              data={[
                { value: '', label: NO_DEFAULT_PLACE },
                ...places.map((place) => ({ value: place.id, label: place.name })),
              ]}
              value={fields.defaultPlaceId}
              error={errors.defaultPlaceId}
              onChange={(event) => set('defaultPlaceId', event.currentTarget.value)}
            />
          </Stack>
        </Card>
        <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby="barcodes-title">
          <Stack gap="sm">
            <Title order={2} fz="lg" id="barcodes-title">
              Barcodes
            </Title>
            <Radio.Group
              label="Barcode scheme"
              value={fields.barcodeMode}
              error={errors.barcodeMode}
              onChange={(value) => set('barcodeMode', value as BarcodeMode)}
            >
              <Stack gap="sm" mt="xs">
                {barcodeModes.map((mode) => (
                  <Radio
                    key={mode.value}
                    value={mode.value}
                    label={mode.label}
                    description={mode.description}
                  />
                ))}
              </Stack>
            </Radio.Group>
            {fields.barcodeMode === 'company_id' && (
              <Group align="flex-start" gap="md">
                <TextInput
                  label="Prefix"
                  description="Letters, digits and -, up to 10"
                  autoComplete="off"
                  maxLength={10}
                  w={220}
                  value={fields.barcodePrefix}
                  error={errors.barcodePrefix}
                  onChange={(event) => set('barcodePrefix', event.currentTarget.value)}
                />
                <NativeSelect
                  label="Digits"
                  description="Zero-padded to this length"
                  w={180}
                  data={BARCODE_DIGITS.map(String)}
                  value={String(fields.barcodeDigits)}
                  error={errors.barcodeDigits}
                  onChange={(event) => set('barcodeDigits', Number(event.currentTarget.value))}
                />
              </Group>
            )}
            {fields.barcodeMode === 'company_id' && (
              <Text size="sm">
                Example:{' '}
                <Code data-testid="company-id-example">
                  {companyDeviceIdExample(fields.barcodePrefix, fields.barcodeDigits)}
                </Code>
              </Text>
            )}
          </Stack>
        </Card>
        <InvoiceSwitches
          fields={fields}
          inPlan={settings.invoiceManagementInPlan}
          onChange={(field, value) => set(field, value)}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending} disabled={unchanged}>
            Save inventory settings
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
