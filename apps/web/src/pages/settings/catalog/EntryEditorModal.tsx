import { Alert, Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconInfoCircle } from '@tabler/icons-react';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { safeErrorMessage } from '../../../api/client';
import { type FieldErrors, fieldErrorsOfIssues, fieldErrorsOfWrite, hasErrors } from './catalogErrors';
import type { CatalogKind } from './catalogKind';
import { type CatalogEntry, type EntryInModal, useSaveEntry } from './catalogWrites';
import { WriteErrorAlert } from './WriteErrorAlert';

interface EntryEditorModalProps<E extends CatalogEntry, F extends { name: string }, D> {
  kind: CatalogKind<E, F, D>;
  modal: EntryInModal<E>;
}

function EntryForm<E extends CatalogEntry, F extends { name: string }, D>({
  kind,
  modal,
  entry,
}: EntryEditorModalProps<E, F, D> & { entry: E | null }) {
  const [fields, setFields] = useState<F>(() => (entry ? kind.fieldsOf(entry) : kind.blank()));
  const [errors, setErrors] = useState<FieldErrors>({});
  const nameInput = useRef<HTMLInputElement>(null);
  const save = useSaveEntry({ list: kind.list, entry, related: kind.related }, kind.itemSchema, modal.close);

  // After Reload the form shows the current version: the cursor goes back to its first field.
  useEffect(() => {
    if (modal.reloaded) nameInput.current?.focus();
  }, [modal.reloaded]);

  const set = <K extends keyof F>(field: K, value: F[K]) => {
    setFields((current) => ({ ...current, [field]: value }));
    setErrors((current) => {
      const { [field as string]: _cleared, ...rest } = current;
      return rest;
    });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = kind.inputSchema.safeParse(kind.bodyOf(fields));
    if (!checked.success) {
      setErrors(fieldErrorsOfIssues(checked.error));
      return;
    }
    setErrors({});
    save.mutate(checked.data as object, { onError: (error) => setErrors(fieldErrorsOfWrite(error)) });
  };

  const unchanged = entry !== null && JSON.stringify(kind.fieldsOf(entry)) === JSON.stringify(fields);
  const { ExtraFields } = kind;

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
            what={kind.noun}
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
          label="Name"
          required
          data-autofocus
          autoComplete="off"
          maxLength={kind.nameMaxLength}
          value={fields.name}
          error={errors.name}
          onChange={(event) => set('name', event.currentTarget.value as F['name'])}
        />
        {ExtraFields && <ExtraFields fields={fields} errors={errors} set={set} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={modal.close}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending} disabled={unchanged}>
            {entry ? 'Save' : `Add ${kind.noun}`}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Adds or edits a place, tag or vendor; an edit is based on the version the list showed (DEV-6). */
export function EntryEditorModal<E extends CatalogEntry, F extends { name: string }, D>({
  kind,
  modal,
}: EntryEditorModalProps<E, F, D>) {
  const { entry } = modal;
  return (
    <Modal
      opened={modal.opened}
      onClose={modal.close}
      title={entry ? `Edit ${kind.noun}` : `Add ${kind.noun}`}
    >
      {modal.opened && (
        // A reloaded entry starts a fresh form with the current values: nothing typed is sent over them.
        <EntryForm
          key={entry ? `${entry.id}:${entry.version}` : 'new'}
          kind={kind}
          modal={modal}
          entry={entry}
        />
      )}
    </Modal>
  );
}
