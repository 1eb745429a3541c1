import { Button, Group, MultiSelect, NativeSelect, Paper, SimpleGrid, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconFilterOff, IconSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { DEVICE_STATUS_STYLE, DEVICE_STATUSES, UNKNOWN_EMPLOYEE } from '@thestorage/contracts';
import { useEffect, useState } from 'react';
import { categoriesQuery, placesQuery, tagsQuery } from '../../api/catalog';
import type { WarrantyFilter } from '../../api/devices';
import { useResolvedEmployees } from '../../api/directory';
import {
  ASSIGNED_CHOICE,
  type AssigneeChoice,
  AssigneePicker,
  choiceKey,
  IT_CHOICE,
  STORE_CHOICE,
} from './AssigneePicker';
import { type DeviceListSearch, isFiltered, NO_FILTERS, statusesOf } from './deviceListSearch';

/** Typing pauses this long before the list is asked again. */
export const SEARCH_DEBOUNCE_MS = 300;

export interface DeviceFiltersProps {
  search: DeviceListSearch;
  onChange(patch: Partial<DeviceListSearch>): void;
}

/** The assignee filter of the address, with the name it reads as (an employee's resolved just now). */
function useAssigneeChoice(filter: string | undefined): AssigneeChoice | null {
  const reference = filter?.startsWith('employee:') ? filter.slice('employee:'.length) : null;
  const people = useResolvedEmployees(reference ? [reference] : []);
  const places = useQuery({ ...placesQuery, enabled: filter?.startsWith('place:') === true });
  if (!filter) return null;
  if (filter === 'it') return IT_CHOICE;
  if (filter === 'store') return STORE_CHOICE;
  if (filter === 'assigned') return ASSIGNED_CHOICE;
  if (reference) {
    const employee = people.data?.get(reference);
    return {
      kind: 'employee',
      reference,
      label: employee?.displayName ?? (people.isPending ? '…' : UNKNOWN_EMPLOYEE),
    };
  }
  const placeId = filter.slice('place:'.length);
  const place = places.data?.places.find((p) => p.id === placeId);
  return { kind: 'place', placeId, label: place?.name ?? '…' };
}

/** DEV-9: narrow the list by text, category, status, assignee and tag; every choice lives in the address. */
export function DeviceFilters({ search, onChange }: DeviceFiltersProps) {
  const categories = useQuery(categoriesQuery);
  const tags = useQuery(tagsQuery);
  const [text, setText] = useState(search.q ?? '');
  const [debounced] = useDebouncedValue(text.trim(), SEARCH_DEBOUNCE_MS);
  const assignee = useAssigneeChoice(search.assignee);

  // biome-ignore lint/correctness/useExhaustiveDependencies: only the settled text is sent
  useEffect(() => {
    if ((search.q ?? '') !== debounced) onChange({ q: debounced || undefined });
  }, [debounced]);
  // Clear filters (or Back) changes the address: the box follows.
  // biome-ignore lint/correctness/useExhaustiveDependencies: follows the address only
  useEffect(() => {
    if ((search.q ?? '') !== text.trim()) setText(search.q ?? '');
  }, [search.q]);

  return (
    <Paper withBorder radius="lg" p="md" component="section" aria-label="Filters">
      <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm" verticalSpacing="sm">
        <TextInput
          label="Search"
          placeholder="Name, serial number or barcode"
          leftSection={<IconSearch size={16} aria-hidden />}
          maxLength={100}
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
        />
        <NativeSelect
          label="Category"
          value={search.category ?? ''}
          data={[
            { value: '', label: 'All categories' },
            ...(categories.data?.categories ?? []).map((c) => ({ value: c.id, label: c.name })),
          ]}
          onChange={(event) => onChange({ category: event.currentTarget.value || undefined })}
        />
        <MultiSelect
          label="Status"
          placeholder={search.status ? undefined : 'Any status'}
          data={DEVICE_STATUSES.map((status) => ({
            value: status,
            label: DEVICE_STATUS_STYLE[status].label,
          }))}
          value={statusesOf(search)}
          onChange={(statuses) => onChange({ status: statuses.length ? statuses.join(',') : undefined })}
          clearable
          clearButtonProps={{ 'aria-label': 'Clear status filter' }}
        />
        <AssigneePicker
          label="Assigned to"
          placeholder="Anyone"
          includeStore
          value={assignee}
          onChange={(choice) => onChange({ assignee: choice ? choiceKey(choice) : undefined })}
        />
        <NativeSelect
          label="Tag"
          value={search.tag ?? ''}
          data={[
            { value: '', label: 'All tags' },
            ...(tags.data?.tags ?? []).map((t) => ({ value: t.id, label: t.name })),
          ]}
          onChange={(event) => onChange({ tag: event.currentTarget.value || undefined })}
        />
        <NativeSelect
          label="Warranty"
          value={search.warranty ?? ''}
          data={[
            { value: '', label: 'Any warranty' },
            { value: 'valid', label: 'Valid' },
            { value: 'expiring', label: 'Ending within 90 days' },
            { value: 'expired', label: 'Expired' },
            { value: 'unknown', label: 'Unknown' },
          ]}
          onChange={(event) =>
            onChange({ warranty: (event.currentTarget.value || undefined) as WarrantyFilter | undefined })
          }
        />
      </SimpleGrid>
      {isFiltered(search) && (
        <Group justify="flex-end" mt="sm">
          <Button
            size="xs"
            variant="subtle"
            leftSection={<IconFilterOff size={14} aria-hidden />}
            onClick={() => {
              setText('');
              onChange(NO_FILTERS);
            }}
          >
            Clear filters
          </Button>
        </Group>
      )}
    </Paper>
  );
}
