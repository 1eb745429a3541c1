import { Group, Loader, MultiSelect, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertCircle, IconCheck } from '@tabler/icons-react';
import { type KeyboardEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import type { FieldSaveState } from './useDeviceEditor';

interface Common {
  label: string;
  /** The value the server has now, as the box shows it. */
  value: string;
  /** The last save of this field, if any. */
  saveState: FieldSaveState | undefined;
  /** Bumped by Reload: a draft typed before it is dropped. */
  generation: number;
  /** Viewers read the value as text. */
  readOnly: boolean;
  /** While the device must be reloaded nothing can be changed. */
  locked: boolean;
  /** How a read-only value reads; the raw value by default. */
  display?: ReactNode;
}

type Kind =
  | {
      kind: 'text';
      maxLength?: number;
      inputMode?: 'decimal';
      type?: 'text' | 'date';
      transform?(text: string): string;
    }
  | { kind: 'select'; data: { value: string; label: string }[] };

export type InlineFieldProps = Common &
  Kind & {
    onSave(value: string): void;
    leftSection?: ReactNode;
    rightSectionText?: ReactNode;
    required?: boolean;
  };

/** "Saving…", "Saved" or the reason it was not saved, read out to screen readers as it changes. */
export function SaveStateLine({ saveState }: { saveState: FieldSaveState | undefined }) {
  if (!saveState) return null;
  if (saveState.state === 'saving') {
    return (
      <Group gap={4} role="status" component="span" display="inline-flex">
        <Loader size={10} aria-hidden />
        <Text span size="xs" c="dimmed">
          Saving…
        </Text>
      </Group>
    );
  }
  if (saveState.state === 'saved') {
    return (
      <Group gap={4} role="status" component="span" display="inline-flex">
        <IconCheck size={12} color="var(--mantine-color-teal-6)" aria-hidden />
        <Text span size="xs" c="teal">
          Saved
        </Text>
      </Group>
    );
  }
  return null;
}

function ReadOnlyValue({ label, display }: { label: string; display: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" fw={500}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {display}
      </Text>
    </Stack>
  );
}

/**
 * One field of the device page, edited in place: text saves when the box is left (or on Enter), a choice as
 * soon as it is made; Escape puts back the saved value. Each field shows its own save state.
 */
export function InlineField(props: InlineFieldProps) {
  const { label, value, saveState, generation, readOnly, locked, onSave } = props;
  const [draft, setDraft] = useState(value);
  const focused = useRef(false);

  // The server's value replaces the box unless someone is typing in it; Reload replaces it always.
  useEffect(() => {
    if (!focused.current) setDraft(value);
  }, [value]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: Reload only
  useEffect(() => setDraft(value), [generation]);

  if (readOnly) return <ReadOnlyValue label={label} display={props.display ?? (value || '—')} />;

  const failed = saveState?.state === 'failed' ? saveState.message : undefined;
  const rightSection =
    saveState?.state === 'saving' ? (
      <Loader size="xs" aria-hidden />
    ) : failed ? (
      <IconAlertCircle size={16} color="var(--mantine-color-red-6)" aria-hidden />
    ) : (
      props.rightSectionText
    );
  const wrapper = {
    label,
    error: failed,
    description: <SaveStateLine saveState={saveState} />,
    inputWrapperOrder: ['label', 'input', 'error', 'description'] as (
      | 'label'
      | 'input'
      | 'error'
      | 'description'
    )[],
    withAsterisk: props.required,
    disabled: locked,
  };

  if (props.kind === 'select') {
    return (
      <NativeSelect
        {...wrapper}
        data={props.data}
        value={draft}
        rightSection={saveState?.state === 'saving' ? <Loader size="xs" aria-hidden /> : undefined}
        onChange={(event) => {
          const next = event.currentTarget.value;
          setDraft(next);
          if (next !== value) onSave(next);
        }}
      />
    );
  }

  const commit = () => {
    focused.current = false;
    const next = props.transform ? props.transform(draft.trim()) : draft.trim();
    if (next !== value.trim()) onSave(next);
  };
  const keys = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') event.currentTarget.blur();
    if (event.key === 'Escape') {
      setDraft(value);
      focused.current = false;
    }
  };
  return (
    <TextInput
      {...wrapper}
      type={props.type ?? 'text'}
      inputMode={props.inputMode}
      maxLength={props.maxLength}
      value={draft}
      leftSection={props.leftSection}
      rightSection={rightSection}
      rightSectionPointerEvents="none"
      onFocus={() => {
        focused.current = true;
      }}
      onChange={(event) => setDraft(event.currentTarget.value)}
      onBlur={commit}
      onKeyDown={keys}
    />
  );
}

export interface InlineTagsProps extends Omit<Common, 'value' | 'display'> {
  value: string[];
  data: { value: string; label: string }[];
  display: ReactNode;
  onSave(value: string[]): void;
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();

/** Tags, saved when the picker is left. */
export function InlineTags(props: InlineTagsProps) {
  const { label, value, data, saveState, generation, readOnly, locked, display, onSave } = props;
  const [draft, setDraft] = useState(value);
  const focused = useRef(false);
  const key = value.join();
  // biome-ignore lint/correctness/useExhaustiveDependencies: follows the saved tags and Reload
  useEffect(() => {
    if (!focused.current) setDraft(value);
  }, [key, generation]);

  if (readOnly) return <ReadOnlyValue label={label} display={display} />;
  return (
    <MultiSelect
      label={label}
      data={data}
      value={draft}
      searchable
      disabled={locked}
      placeholder={draft.length ? undefined : 'No tags'}
      error={saveState?.state === 'failed' ? saveState.message : undefined}
      description={<SaveStateLine saveState={saveState} />}
      inputWrapperOrder={['label', 'input', 'error', 'description']}
      onChange={setDraft}
      onFocus={() => {
        focused.current = true;
      }}
      onBlur={() => {
        focused.current = false;
        if (!sameSet(draft, value)) onSave(draft);
      }}
    />
  );
}
