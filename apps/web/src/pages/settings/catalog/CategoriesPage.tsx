import { Alert, Badge, Button, Card, Group, Stack, Text } from '@mantine/core';
import { IconLock, IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { Category } from '@thestorage/contracts';
import { categoriesQuery } from '../../../api/catalog';
import { mayChangeInventory } from '../../../auth/access';
import { useSignedIn } from '../../../auth/signedIn';
import { QueryState } from '../../../components/QueryState';
import { ReadOnlyNote, RemovedNotice } from './CatalogNotes';
import { type CatalogColumn, CatalogTable } from './CatalogTable';
import { CategoryEditorModal } from './CategoryEditorModal';
import { readAgain, useEntryInModal } from './catalogWrites';
import { attributeTypeLabel } from './categoryDraft';
import { DeleteEntryModal } from './DeleteEntryModal';

const columns: readonly CatalogColumn<Category>[] = [
  {
    header: 'Attributes',
    cell: (category) =>
      category.attributes.length === 0 ? (
        <Text size="sm" c="dimmed">
          None
        </Text>
      ) : (
        <Text size="sm">
          {category.attributes
            .map((a) => `${a.name} (${attributeTypeLabel[a.type]}${a.required ? ', required' : ''})`)
            .join(', ')}
        </Text>
      ),
  },
  {
    header: 'Device names',
    cell: (category) => (
      <Text size="sm" c={category.appendToName ? undefined : 'dimmed'}>
        {category.appendToName ? 'Values appended' : 'As typed'}
      </Text>
    ),
  },
];

const devices = (count: number) => `${count} ${count === 1 ? 'device uses' : 'devices use'}`;

/** "Limit reached" next to Add, with what the plan allows; Add is disabled while at the limit. */
function LimitNote({ count, limit }: { count: number; limit: number | null }) {
  if (limit === null) return null;
  if (count < limit) {
    return (
      <Text size="sm" c="dimmed">
        {count} of {limit} categories on this plan
      </Text>
    );
  }
  return (
    <Badge color="grape" variant="light" size="lg" leftSection={<IconLock size={12} aria-hidden />}>
      Limit reached
    </Badge>
  );
}

/** Settings → Categories (DEV-2): kinds of device with their attributes, limited by the plan. */
export function CategoriesPage() {
  const me = useSignedIn();
  const canWrite = mayChangeInventory(me, 'inventory.write');
  const categories = useQuery(categoriesQuery);
  const readList = () =>
    readAgain(async () => {
      const result = await categories.refetch();
      return { ...result, data: result.data?.categories };
    });
  const editor = useEntryInModal<Category>(readList);
  const deleter = useEntryInModal<Category>(readList);
  const removedName = editor.removedName ?? deleter.removedName;
  const atLimit =
    categories.data !== undefined &&
    categories.data.limit !== null &&
    categories.data.categories.length >= categories.data.limit;

  return (
    <Stack gap="md" maw={1100}>
      <Group justify="space-between" align="flex-end">
        <Stack gap={4} maw={640}>
          <Text size="sm" c="dimmed">
            Categories are the kinds of device, such as Laptops or Phones. Each has up to six attributes that
            its devices fill in, and may append their values to device names.
          </Text>
          {!canWrite && <ReadOnlyNote what="the categories" />}
        </Stack>
        {canWrite && (
          <Group gap="sm">
            {categories.data && (
              <LimitNote count={categories.data.categories.length} limit={categories.data.limit} />
            )}
            <Button
              leftSection={<IconPlus size={16} aria-hidden />}
              disabled={atLimit}
              onClick={editor.openNew}
            >
              Add category
            </Button>
          </Group>
        )}
      </Group>
      {canWrite && atLimit && (
        <Alert color="grape" variant="light" title="Limit reached" icon={<IconLock size={18} aria-hidden />}>
          This tenant’s plan allows {categories.data?.limit} categories, and all are in use. Delete one or
          move to a larger plan to add another.
        </Alert>
      )}
      {removedName && (
        <RemovedNotice
          noun="category"
          name={removedName}
          onDismiss={() => {
            editor.dismissRemoved();
            deleter.dismissRemoved();
          }}
        />
      )}
      <Card withBorder radius="lg" padding={0}>
        <QueryState query={categories} label="the categories">
          {(data) => (
            <CatalogTable
              label="Categories"
              noun="category"
              entries={data.categories}
              columns={columns}
              empty="No categories yet."
              canWrite={canWrite}
              onEdit={editor.open}
              onDelete={deleter.open}
            />
          )}
        </QueryState>
      </Card>
      {canWrite && (
        <>
          <CategoryEditorModal modal={editor} />
          <DeleteEntryModal
            list="categories"
            noun="category"
            modal={deleter}
            consequence={(category) =>
              category.deviceCount > 0
                ? `${devices(category.deviceCount)} it: change their category first.`
                : 'No device uses it.'
            }
          />
        </>
      )}
    </Stack>
  );
}
