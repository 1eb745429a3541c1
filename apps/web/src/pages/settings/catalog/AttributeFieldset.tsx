import { ActionIcon, Checkbox, Fieldset, Group, NativeSelect, TextInput, Tooltip } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { ATTRIBUTE_TYPES } from '@thestorage/contracts';
import { useEffect, useRef } from 'react';
import type { FieldErrors } from './catalogErrors';
import { type AttributeDraft, type AttributeType, attributeTypeLabel } from './categoryDraft';

interface AttributeFieldsetProps {
  attribute: AttributeDraft;
  index: number;
  /** Errors keyed by the server's paths (`attributes.0.name`). */
  errors: FieldErrors;
  onChange(next: AttributeDraft): void;
  onRemove(): void;
  /** A row just added takes the cursor to its name. */
  focusOnMount?: boolean;
}

/** One attribute of a category (DEV-2): name, type, prefix, suffix, required. */
export function AttributeFieldset({
  attribute,
  index,
  errors,
  onChange,
  onRemove,
  focusOnMount = false,
}: AttributeFieldsetProps) {
  const nameInput = useRef<HTMLInputElement>(null);
  // Only on mount: a row that is added, not one re-rendered while typing.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once for a new row on purpose
  useEffect(() => {
    if (focusOnMount) nameInput.current?.focus();
  }, []);
  const legend = `Attribute ${index + 1}`;
  const named = attribute.name.trim();
  const error = (field: string) => errors[`attributes.${index}.${field}`];
  const set = <K extends keyof AttributeDraft>(field: K, value: AttributeDraft[K]) =>
    onChange({ ...attribute, [field]: value });

  return (
    <Fieldset legend={legend} radius="md" p="sm">
      <Group align="flex-start" gap="sm" wrap="wrap">
        <TextInput
          ref={nameInput}
          label="Attribute name"
          required
          autoComplete="off"
          maxLength={25}
          flex="2 1 160px"
          value={attribute.name}
          error={error('name')}
          onChange={(event) => set('name', event.currentTarget.value)}
        />
        <NativeSelect
          label="Type"
          flex="1 1 110px"
          data={ATTRIBUTE_TYPES.map((type) => ({ value: type, label: attributeTypeLabel[type] }))}
          value={attribute.type}
          error={error('type')}
          onChange={(event) => set('type', event.currentTarget.value as AttributeType)}
        />
        <TextInput
          label="Prefix"
          autoComplete="off"
          maxLength={5}
          w={90}
          value={attribute.prefix}
          error={error('prefix')}
          onChange={(event) => set('prefix', event.currentTarget.value)}
        />
        <TextInput
          label="Suffix"
          autoComplete="off"
          maxLength={5}
          w={90}
          value={attribute.suffix}
          error={error('suffix')}
          onChange={(event) => set('suffix', event.currentTarget.value)}
        />
      </Group>
      <Group justify="space-between" mt="sm">
        <Checkbox
          label="Required"
          checked={attribute.required}
          onChange={(event) => set('required', event.currentTarget.checked)}
        />
        <Tooltip label="Remove attribute">
          <ActionIcon
            variant="subtle"
            color="red"
            onClick={onRemove}
            aria-label={`Remove ${legend.toLowerCase()}${named ? ` (${named})` : ''}`}
          >
            <IconTrash size={16} />
          </ActionIcon>
        </Tooltip>
      </Group>
    </Fieldset>
  );
}
