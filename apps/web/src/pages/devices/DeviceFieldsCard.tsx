import { Card, Divider, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import {
  type CategoryAttribute,
  DEVICE_STATUS_STYLE,
  DEVICE_STATUSES,
  type Device,
  type DeviceStatus,
} from '@thestorage/contracts';
import { useEffect, useState } from 'react';
import { AttributeInput } from './AttributeInput';
import { ConvertedPrice } from './ConvertedPrice';
import { TagBadges } from './DeviceCards';
import type { DeviceFormLists } from './DeviceFormFields';
import { attributeValueOf } from './deviceForm';
import { formatDay, formatMoment, formatPrice } from './deviceFormat';
import { InlineField, InlineTags, SaveStateLine } from './InlineField';
import { StatusBadge } from './StatusBadge';
import type { DeviceEditor, FieldSaveState } from './useDeviceEditor';
import { WarrantyShield } from './WarrantyShield';

export interface DeviceFieldsCardProps {
  device: Device;
  lists: DeviceFormLists;
  editor: DeviceEditor;
  /** Operators and Administrators edit; Viewers read. */
  mayEdit: boolean;
}

const orNull = (text: string) => (text === '' ? null : text);

/** DEV-1: every field of the device, each saved on its own when left (DEV-6 guards against stale saves). */
export function DeviceFieldsCard({ device, lists, editor, mayEdit }: DeviceFieldsCardProps) {
  const common = (field: string) => ({
    saveState: editor.fields[field],
    generation: editor.generation,
    readOnly: !mayEdit,
    locked: editor.stale,
  });
  const category = lists.categories.find((c) => c.id === device.category?.id);
  const barcodeTyped = lists.barcodeMode === 'asset_id';

  return (
    <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby="device-details">
      <Stack gap="md">
        <Group justify="space-between">
          <Title order={2} fz="lg" id="device-details">
            Details
          </Title>
          {mayEdit && (
            <Text size="xs" c="dimmed">
              Changes are saved when you leave a field.
            </Text>
          )}
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="md">
          <InlineField
            kind="text"
            label="Name"
            required
            maxLength={100}
            value={device.name}
            onSave={(name) => editor.save('name', { name })}
            {...common('name')}
          />
          <InlineField
            kind="text"
            label="Serial number"
            maxLength={30}
            value={device.serial ?? ''}
            onSave={(serial) => editor.save('serial', { serial: orNull(serial) })}
            {...common('serial')}
          />
          <InlineField
            kind="select"
            label="Status"
            value={device.status}
            data={DEVICE_STATUSES.map((s) => ({ value: s, label: DEVICE_STATUS_STYLE[s].label }))}
            display={<StatusBadge status={device.status} />}
            onSave={(status) => editor.save('status', { status: status as DeviceStatus })}
            {...common('status')}
          />
          <InlineField
            kind="select"
            label="Category"
            value={device.category?.id ?? ''}
            data={[
              { value: '', label: 'No category' },
              ...lists.categories.map((c) => ({ value: c.id, label: c.name })),
            ]}
            display={device.category?.name ?? '—'}
            onSave={(categoryId) =>
              editor.save('categoryId', { categoryId: orNull(categoryId), attributes: {} })
            }
            {...common('categoryId')}
          />
          {category?.attributes.map((attribute) => {
            const field = `attributes.${attribute.id}`;
            const stored = device.attributes[attribute.id];
            const value = stored === undefined || stored === null ? '' : String(stored);
            return mayEdit ? (
              <InlineAttribute
                key={`${attribute.id}-${editor.generation}`}
                attribute={attribute}
                value={value}
                saveState={editor.fields[field]}
                locked={editor.stale}
                onSave={(text) => {
                  const next = { ...device.attributes, [attribute.id]: attributeValueOf(attribute, text) };
                  editor.save(field, { attributes: next });
                }}
              />
            ) : (
              <InlineField
                key={attribute.id}
                kind="text"
                label={attribute.name}
                value={value}
                display={value ? `${attribute.prefix}${value}${attribute.suffix}` : '—'}
                onSave={() => undefined}
                {...common(field)}
              />
            );
          })}
        </SimpleGrid>

        <Divider label="Purchase and warranty" labelPosition="left" />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="md">
          <InlineField
            kind="text"
            label="Barcode"
            maxLength={40}
            value={device.barcode ?? ''}
            onSave={(barcode) => editor.save('barcode', { barcode: orNull(barcode) })}
            {...common('barcode')}
            readOnly={!mayEdit || !barcodeTyped}
          />
          <Stack gap={4}>
            <InlineField
              kind="text"
              label="Price"
              inputMode="decimal"
              maxLength={15}
              value={device.price ?? ''}
              display={formatPrice(device.price, device.currency)}
              onSave={(price) => editor.save('price', { price: orNull(price) })}
              {...common('price')}
            />
            <ConvertedPrice device={device} explain />
          </Stack>
          <InlineField
            kind="text"
            label="Currency"
            maxLength={3}
            value={device.currency ?? ''}
            transform={(text) => text.toUpperCase()}
            onSave={(currency) => editor.save('currency', { currency: orNull(currency) })}
            {...common('currency')}
          />
          <InlineField
            kind="text"
            type="date"
            label="Warranty end"
            value={device.warrantyEnd ?? ''}
            display={
              <Group gap={6}>
                {formatDay(device.warrantyEnd)}
                <WarrantyShield device={device} />
              </Group>
            }
            onSave={(warrantyEnd) => editor.save('warrantyEnd', { warrantyEnd: orNull(warrantyEnd) })}
            {...common('warrantyEnd')}
          />
        </SimpleGrid>

        <Divider label="Tags" labelPosition="left" />
        <InlineTags
          label="Tags"
          value={device.tags.map((t) => t.id)}
          data={lists.tags.map((t) => ({ value: t.id, label: t.name }))}
          display={device.tags.length ? <TagBadges tags={device.tags} /> : 'No tags'}
          onSave={(tagIds) => editor.save('tagIds', { tagIds })}
          {...common('tagIds')}
        />

        <Group gap="lg">
          <Text size="xs" c="dimmed">
            Created {formatMoment(device.createdAt)}
          </Text>
          <Text size="xs" c="dimmed">
            Modified {formatMoment(device.updatedAt)}
          </Text>
        </Group>
      </Stack>
    </Card>
  );
}

interface InlineAttributeProps {
  attribute: CategoryAttribute;
  value: string;
  saveState: FieldSaveState | undefined;
  locked: boolean;
  onSave(text: string): void;
}

/** A category attribute edited in place, typed and with its prefix and suffix (DEV-2). */
function InlineAttribute({ attribute, value, saveState, locked, onSave }: InlineAttributeProps) {
  const [draft, setDraft] = useState(value);
  // The saved value replaces the box; Reload remounts it (keyed by the editor's generation).
  useEffect(() => setDraft(value), [value]);
  return (
    <AttributeInput
      attribute={attribute}
      value={draft}
      disabled={locked}
      error={saveState?.state === 'failed' ? saveState.message : undefined}
      description={<SaveStateLine saveState={saveState} />}
      inputWrapperOrder={['label', 'input', 'error', 'description']}
      onChange={setDraft}
      onBlur={() => {
        if (draft.trim() !== value) onSave(draft);
      }}
      onKeyDown={(event) => {
        if (event.key === 'Enter') event.currentTarget.blur();
      }}
    />
  );
}
