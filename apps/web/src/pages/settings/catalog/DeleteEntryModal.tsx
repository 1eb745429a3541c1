import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { QueryKey } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { CatalogList } from '../../../api/catalog';
import { safeErrorMessage } from '../../../api/client';
import { type CatalogEntry, type EntryInModal, useDeleteEntry } from './catalogWrites';
import { WriteErrorAlert } from './WriteErrorAlert';

interface DeleteEntryModalProps<E extends CatalogEntry> {
  list: CatalogList;
  /** "place": in the title and the button. */
  noun: string;
  modal: EntryInModal<E>;
  /** What deleting does, or what must happen first, in one or two sentences. */
  consequence(entry: E): ReactNode;
  related?: readonly QueryKey[];
}

function DeleteConfirmation<E extends CatalogEntry>({
  list,
  noun,
  modal,
  consequence,
  related,
  entry,
}: DeleteEntryModalProps<E> & { entry: E }) {
  const remove = useDeleteEntry({ list, entry, related }, modal.close);
  return (
    <Stack gap="md">
      <Text size="sm">
        Delete the {noun} <strong>{entry.name}</strong>?
      </Text>
      <Text size="sm" c="dimmed">
        {consequence(entry)}
      </Text>
      {remove.isError && (
        <WriteErrorAlert
          error={remove.error}
          what={noun}
          onReload={() => void modal.reload()}
          reloading={modal.reloading}
        />
      )}
      {modal.reloadError !== null && (
        <Alert color="red" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden />}>
          Could not reload: {safeErrorMessage(modal.reloadError)}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={modal.close} data-autofocus>
          Cancel
        </Button>
        <Button color="red" loading={remove.isPending} onClick={() => remove.mutate()}>
          Delete {noun}
        </Button>
      </Group>
    </Stack>
  );
}

/** Asks before deleting; the delete carries the version shown, and a refusal is shown in the server's words. */
export function DeleteEntryModal<E extends CatalogEntry>(props: DeleteEntryModalProps<E>) {
  const { modal, noun } = props;
  const { entry } = modal;
  return (
    <Modal opened={modal.opened && entry !== null} onClose={modal.close} title={`Delete ${noun}`}>
      {entry && (
        // A reloaded entry starts a fresh confirmation: its version and device count may have changed.
        <DeleteConfirmation key={`${entry.id}:${entry.version}`} {...props} entry={entry} />
      )}
    </Modal>
  );
}
