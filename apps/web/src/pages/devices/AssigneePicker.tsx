import { CloseButton, Combobox, Group, InputBase, Loader, Text, useCombobox } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import {
  IconBuildingStore,
  IconMapPin,
  IconSearch,
  IconTool,
  IconUser,
  IconUsers,
} from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { AssigneeInput } from '@thestorage/contracts';
import { type ReactNode, useEffect, useState } from 'react';
import { placesQuery } from '../../api/catalog';
import { safeErrorMessage } from '../../api/client';
import { EMPLOYEE_SEARCH_MIN_LENGTH, employeeSearchQuery } from '../../api/directory';

/** Typing pauses this long before the employee search is sent. */
export const PICKER_DEBOUNCE_MS = 300;
/** Places shown before any typing; the rest are found by name. */
const PLACES_SHOWN = 8;

/** A choice of the picker: what the server takes, and how it reads. */
export type AssigneeChoice =
  | { kind: 'employee'; reference: string; label: string }
  | { kind: 'place'; placeId: string; label: string }
  | { kind: 'it'; label: string }
  | { kind: 'store'; label: string }
  /** A list filter only (the dashboard's coverage links here): with an employee or at a place. */
  | { kind: 'assigned'; label: string };

export const IT_CHOICE: AssigneeChoice = { kind: 'it', label: 'IT department' };
export const STORE_CHOICE: AssigneeChoice = { kind: 'store', label: 'Campaign store' };
export const ASSIGNED_CHOICE: AssigneeChoice = { kind: 'assigned', label: 'Assigned (employee or place)' };

/** The option value of a choice, also the list filter's `assignee` value: `employee:<ref>`, `place:<id>`, `it`. */
export function choiceKey(choice: AssigneeChoice): string {
  if (choice.kind === 'employee') return `employee:${choice.reference}`;
  if (choice.kind === 'place') return `place:${choice.placeId}`;
  return choice.kind;
}

/** The body of an assignment; a campaign store is reached only through a campaign (DEV-4). */
export function assigneeInputOf(choice: AssigneeChoice): AssigneeInput | null {
  if (choice.kind === 'employee') return { kind: 'employee', reference: choice.reference };
  if (choice.kind === 'place') return { kind: 'place', placeId: choice.placeId };
  if (choice.kind === 'it') return { kind: 'it' };
  return null;
}

export interface AssigneePickerProps {
  label: string;
  description?: ReactNode;
  placeholder?: string;
  value: AssigneeChoice | null;
  onChange(choice: AssigneeChoice | null): void;
  /** The list filter may also look for devices in a campaign store. */
  includeStore?: boolean;
  /** Leave out the current assignment, which would change nothing. */
  exclude?: string;
  error?: ReactNode;
  disabled?: boolean;
}

const ICONS = {
  employee: IconUser,
  place: IconMapPin,
  it: IconTool,
  store: IconBuildingStore,
  assigned: IconUsers,
};

function ChoiceOption({ choice, detail }: { choice: AssigneeChoice; detail?: string | null }) {
  const Icon = ICONS[choice.kind];
  return (
    <Combobox.Option value={choiceKey(choice)}>
      <Group gap="xs" wrap="nowrap">
        <Icon size={16} stroke={1.6} aria-hidden style={{ flexShrink: 0 }} />
        <div>
          <Text size="sm">{choice.label}</Text>
          {detail && (
            <Text size="xs" c="dimmed">
              {detail}
            </Text>
          )}
        </div>
      </Group>
    </Combobox.Option>
  );
}

/**
 * DEV-4: the assign picker. Employees are searched by name, e-mail or user name once 3 characters are
 * typed; places are found by name; the IT department is always there. Arrow keys and Enter choose.
 */
export function AssigneePicker({
  label,
  description,
  placeholder = 'Type a name, e-mail or place',
  value,
  onChange,
  includeStore = false,
  exclude,
  error,
  disabled,
}: AssigneePickerProps) {
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const [search, setSearch] = useState(value?.label ?? '');
  const [debounced] = useDebouncedValue(search.trim(), PICKER_DEBOUNCE_MS);
  const typed = search !== (value?.label ?? '');
  const employeeSearch = typed && debounced.length >= EMPLOYEE_SEARCH_MIN_LENGTH ? debounced : '';
  const employees = useQuery({ ...employeeSearchQuery(employeeSearch), placeholderData: keepPreviousData });
  const places = useQuery(placesQuery);

  // A value set from outside (a reset, a reload) shows its own name.
  useEffect(() => setSearch(value?.label ?? ''), [value?.label]);

  const term = typed ? search.trim().toLowerCase() : '';
  const matchingPlaces = (places.data?.places ?? [])
    .filter((place) => place.name.toLowerCase().includes(term))
    .slice(0, term ? undefined : PLACES_SHOWN);
  const people = employeeSearch ? (employees.data?.employees ?? []) : [];
  const fixed = [IT_CHOICE, ...(includeStore ? [STORE_CHOICE] : [])].filter(
    (choice) => !term || choice.label.toLowerCase().includes(term),
  );

  const choices = new Map<string, AssigneeChoice>();
  const remember = (choice: AssigneeChoice) => {
    const key = choiceKey(choice);
    if (key !== exclude) choices.set(key, choice);
    return key !== exclude;
  };
  const employeeChoices = people
    .map((person) => ({
      choice: {
        kind: 'employee' as const,
        reference: person.reference,
        label: person.displayName ?? person.userName,
      },
      detail: [
        person.userName,
        person.jobTitle,
        person.deviceCount > 0
          ? `${person.deviceCount} ${person.deviceCount === 1 ? 'device' : 'devices'}`
          : null,
        person.active ? null : 'Inactive',
      ]
        .filter(Boolean)
        .join(' · '),
    }))
    .filter(({ choice }) => remember(choice));
  const placeChoices = matchingPlaces
    .map((place): AssigneeChoice => ({ kind: 'place', placeId: place.id, label: place.name }))
    .filter(remember);
  const fixedChoices = fixed.filter(remember);

  const choose = (key: string) => {
    const choice = choices.get(key);
    if (!choice) return;
    setSearch(choice.label);
    onChange(choice);
    combobox.closeDropdown();
  };

  const needsMore = typed && search.trim().length > 0 && search.trim().length < EMPLOYEE_SEARCH_MIN_LENGTH;
  const nothing = employeeChoices.length === 0 && placeChoices.length === 0 && fixedChoices.length === 0;

  return (
    <Combobox store={combobox} onOptionSubmit={choose}>
      <Combobox.Target withExpandedAttribute>
        <InputBase
          label={label}
          description={description}
          placeholder={placeholder}
          error={error}
          disabled={disabled}
          value={search}
          leftSection={<IconSearch size={16} aria-hidden />}
          rightSection={
            employees.isFetching && employeeSearch ? (
              <Loader size="xs" aria-label="Searching" />
            ) : value ? (
              <CloseButton
                size="sm"
                aria-label={`Clear ${label.toLowerCase()}`}
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => {
                  setSearch('');
                  onChange(null);
                }}
              />
            ) : (
              <Combobox.Chevron />
            )
          }
          rightSectionPointerEvents={value ? 'all' : 'none'}
          onChange={(event) => {
            setSearch(event.currentTarget.value);
            combobox.openDropdown();
            combobox.updateSelectedOptionIndex();
          }}
          onClick={() => combobox.openDropdown()}
          onFocus={() => combobox.openDropdown()}
          onBlur={() => {
            combobox.closeDropdown();
            setSearch(value?.label ?? '');
          }}
        />
      </Combobox.Target>

      <Combobox.Dropdown>
        <Combobox.Options mah={320} style={{ overflowY: 'auto' }}>
          {employeeChoices.length > 0 && (
            <Combobox.Group label="Employees">
              {employeeChoices.map(({ choice, detail }) => (
                <ChoiceOption key={choiceKey(choice)} choice={choice} detail={detail} />
              ))}
            </Combobox.Group>
          )}
          {placeChoices.length > 0 && (
            <Combobox.Group label="Places">
              {placeChoices.map((choice) => (
                <ChoiceOption key={choiceKey(choice)} choice={choice} />
              ))}
            </Combobox.Group>
          )}
          {fixedChoices.length > 0 && (
            <Combobox.Group label="Other">
              {fixedChoices.map((choice) => (
                <ChoiceOption key={choiceKey(choice)} choice={choice} />
              ))}
            </Combobox.Group>
          )}
          {needsMore && (
            <Combobox.Empty>
              Type at least {EMPLOYEE_SEARCH_MIN_LENGTH} characters to find employees.
            </Combobox.Empty>
          )}
          {employees.isError && employeeSearch !== '' && (
            <Combobox.Empty c="red">
              Employees could not be searched: {safeErrorMessage(employees.error)}
            </Combobox.Empty>
          )}
          {!needsMore && nothing && !employees.isError && (
            <Combobox.Empty>Nobody and nothing matches.</Combobox.Empty>
          )}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}
