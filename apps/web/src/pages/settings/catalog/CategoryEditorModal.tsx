import { Alert, Button, Code, Group, Modal, Stack, Switch, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconInfoCircle, IconPlus } from '@tabler/icons-react';
import { type Category, categorySchema, MAX_CATEGORY_ATTRIBUTES } from '@thestorage/contracts';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { safeErrorMessage } from '../../../api/client';
import { AttributeFieldset } from './AttributeFieldset';
import { type FieldErrors, fieldErrorsOfWrite, hasErrors } from './catalogErrors';
import { type EntryInModal, useSaveEntry } from './catalogWrites';
import {
  type AttributeDraft,
  blankAttribute,
  type CategoryDraft,
  canAddAttribute,
  categoryBodyOf,
  checkCategoryDraft,
  draftOf,
  exampleDeviceName,
} from './categoryDraft';
import { WriteErrorAlert } from './WriteErrorAlert';

/** Attribute errors are keyed by row position: once a row is removed they no longer line up. */
function withoutAttributeErrors(errors: FieldErrors): FieldErrors {
  return Object.fromEntries(Object.entries(errors).filter(([path]) => !path.startsWith('attributes')));
}

function CategoryForm({ modal, category }: { modal: EntryInModal<Category>; category: Category | null }) {
  const [draft, setDraft] = useState<CategoryDraft>(() => draftOf(category));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [addedKey, setAddedKey] = useState<string | null>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const save = useSaveEntry({ list: 'categories', entry: category }, categorySchema, modal.close);

  useEffect(() => {
    if (modal.reloaded) nameInput.current?.focus();
  }, [modal.reloaded]);

  const change = (next: Partial<CategoryDraft>, cleared?: string) => {
    setDraft((current) => ({ ...current, ...next }));
    if (cleared) {
      setErrors((current) => {
        const { [cleared]: _gone, ...rest } = current;
        return rest;
      });
    }
  };
  const changeAttribute = (index: number, next: AttributeDraft) => {
    change({ attributes: draft.attributes.map((a, i) => (i === index ? next : a)) });
    // The row's messages go once it is edited; they come back on Save if still true.
    setErrors((current) =>
      Object.fromEntries(
        Object.entries(current).filter(([path]) => !path.startsWith(`attributes.${index}.`)),
      ),
    );
  };
  const addAttribute = () => {
    const row = blankAttribute();
    setAddedKey(row.key);
    change({ attributes: [...draft.attributes, row] });
  };
  const removeAttribute = (index: number) => {
    change({ attributes: draft.attributes.filter((_, i) => i !== index) });
    setErrors(withoutAttributeErrors);
    // The removed row's button is gone: the cursor goes to "Add attribute".
    addButton.current?.focus();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = checkCategoryDraft(draft);
    setErrors(found);
    if (hasErrors(found)) return;
    save.mutate(categoryBodyOf(draft), { onError: (error) => setErrors(fieldErrorsOfWrite(error)) });
  };

  const unchanged =
    category !== null &&
    JSON.stringify(categoryBodyOf(draftOf(category))) === JSON.stringify(categoryBodyOf(draft));
  const attributesError = errors.attributes;

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {modal.reloaded && (
          <Alert color="blue" variant="light" role="status" icon={<IconInfoCircle size={18} aria-hidden />}>
            Reloaded: the form shows the current version.
          </Alert>
        )}
        {save.isError && !hasErrors(errors) && (
          <WriteErrorAlert
            error={save.error}
            what="category"
            onReload={() => void modal.reload()}
            reloading={modal.reloading}
          />
        )}
        {modal.reloadError !== null && (
          <Alert color="red" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden />}>
            Could not reload: {safeErrorMessage(modal.reloadError)}
          </Alert>
        )}
        <TextInput
          ref={nameInput}
          label="Category name"
          required
          data-autofocus
          autoComplete="off"
          maxLength={25}
          value={draft.name}
          error={errors.name}
          onChange={(event) => change({ name: event.currentTarget.value }, 'name')}
        />
        <Stack gap="xs">
          <Text size="sm" fw={500}>
            Attributes
          </Text>
          <Text size="xs" c="dimmed">
            Up to {MAX_CATEGORY_ATTRIBUTES} fields that devices of this category fill in, such as screen size
            or chip. Renaming an attribute keeps the values devices already have.
          </Text>
          {draft.attributes.map((attribute, index) => (
            <AttributeFieldset
              key={attribute.key}
              attribute={attribute}
              index={index}
              errors={errors}
              focusOnMount={attribute.key === addedKey}
              onChange={(next) => changeAttribute(index, next)}
              onRemove={() => removeAttribute(index)}
            />
          ))}
          {attributesError && (
            <Text size="sm" c="red" role="alert">
              {attributesError}
            </Text>
          )}
          <Group gap="sm">
            <Button
              ref={addButton}
              variant="default"
              size="xs"
              leftSection={<IconPlus size={14} aria-hidden />}
              disabled={!canAddAttribute(draft)}
              onClick={addAttribute}
            >
              Add attribute
            </Button>
            {!canAddAttribute(draft) && (
              <Text size="xs" c="dimmed">
                A category has at most {MAX_CATEGORY_ATTRIBUTES} attributes.
              </Text>
            )}
          </Group>
        </Stack>
        <Switch
          label="Append attribute values to device names"
          description={
            <>
              {draft.appendToName ? 'Devices are named like' : 'When on, devices are named like'}{' '}
              <Code data-testid="device-name-example">
                {exampleDeviceName({ ...draft, appendToName: true })}
              </Code>{' '}
              (sample values).
            </>
          }
          checked={draft.appendToName}
          onChange={(event) => change({ appendToName: event.currentTarget.checked })}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={modal.close}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending} disabled={unchanged}>
            {category ? 'Save' : 'Add category'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Adds or edits a category (DEV-2); an edit is based on the version the list showed (DEV-6). */
export function CategoryEditorModal({ modal }: { modal: EntryInModal<Category> }) {
  const { entry } = modal;
  return (
    <Modal
      opened={modal.opened}
      onClose={modal.close}
      title={entry ? 'Edit category' : 'Add category'}
      size="lg"
    >
      {modal.opened && (
        <CategoryForm key={entry ? `${entry.id}:${entry.version}` : 'new'} modal={modal} category={entry} />
      )}
    </Modal>
  );
}
