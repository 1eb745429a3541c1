import { Button, Card, Group, Stack, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { mayChangeInventory } from '../../../auth/access';
import { useSignedIn } from '../../../auth/signedIn';
import { QueryState } from '../../../components/QueryState';
import { ReadOnlyNote, RemovedNotice } from './CatalogNotes';
import { CatalogTable } from './CatalogTable';
import type { CatalogKind } from './catalogKind';
import { type CatalogEntry, readAgain, useEntryInModal } from './catalogWrites';
import { DeleteEntryModal } from './DeleteEntryModal';
import { EntryEditorModal } from './EntryEditorModal';

/** Settings → Places, Tags or Vendors (DEV-11): the list, and for writers add, edit and delete. */
export function CatalogListPage<E extends CatalogEntry, F extends { name: string }, D>({
  kind,
}: {
  kind: CatalogKind<E, F, D>;
}) {
  const me = useSignedIn();
  const canWrite = mayChangeInventory(me, 'inventory.write');
  const entries = useQuery({
    queryKey: kind.query.queryKey,
    queryFn: kind.query.queryFn,
    select: kind.entriesOf,
  });
  const readList = () => readAgain(entries.refetch);
  const editor = useEntryInModal<E>(readList);
  const deleter = useEntryInModal<E>(readList);
  const removedName = editor.removedName ?? deleter.removedName;
  const lower = kind.title.toLowerCase();

  return (
    <Stack gap="md" maw={1100}>
      <Group justify="space-between" align="flex-end">
        <Stack gap={4} maw={640}>
          <Text size="sm" c="dimmed">
            {kind.intro}
          </Text>
          {!canWrite && <ReadOnlyNote what={`the ${lower}`} />}
        </Stack>
        {canWrite && (
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={editor.openNew}>
            Add {kind.noun}
          </Button>
        )}
      </Group>
      {removedName && (
        <RemovedNotice
          noun={kind.noun}
          name={removedName}
          onDismiss={() => {
            editor.dismissRemoved();
            deleter.dismissRemoved();
          }}
        />
      )}
      <Card withBorder radius="lg" padding={0}>
        <QueryState query={entries} label={`the ${lower}`}>
          {(data) => (
            <CatalogTable
              label={kind.title}
              noun={kind.noun}
              entries={data}
              nameCell={kind.nameCell}
              columns={kind.columns}
              empty={kind.empty}
              canWrite={canWrite}
              onEdit={editor.open}
              onDelete={deleter.open}
            />
          )}
        </QueryState>
      </Card>
      {canWrite && (
        <>
          <EntryEditorModal kind={kind} modal={editor} />
          <DeleteEntryModal
            list={kind.list}
            noun={kind.noun}
            modal={deleter}
            consequence={kind.deleteConsequence}
            related={kind.related}
          />
        </>
      )}
    </Stack>
  );
}
