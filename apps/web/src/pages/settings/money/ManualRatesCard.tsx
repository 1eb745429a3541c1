import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Group,
  NativeSelect,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { IconCheck, IconPencil, IconTrash, IconX } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ManualRate, manualRateSchema, manualRateUpdateSchema } from '@thestorage/contracts';
import { type FormEvent, useState } from 'react';
import { fieldErrorsOf } from '../../../api/client';
import { DEVICES_KEY } from '../../../api/devices';
import { MONEY_KEY, manualRateDeletePath, manualRatePath } from '../../../api/money';
import { useApiWrite } from '../../../api/session';
import { formatMoment } from '../../devices/deviceFormat';
import { fieldErrorsOfIssues, hasErrors } from '../catalog/catalogErrors';
import { WriteErrorAlert } from '../catalog/WriteErrorAlert';
import { CurrencyCell } from './CurrencyCell';
import { currencyOptions } from './currencies';

type Write =
  | { kind: 'add'; currency: string; perEur: string }
  | { kind: 'change'; rate: ManualRate; perEur: string }
  | { kind: 'remove'; rate: ManualRate };

/** Adds, changes and removes manual rates; every write refreshes the rates and the converted prices. */
function useManualRateWrites() {
  const api = useApiWrite();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (write: Write) => {
      if (write.kind === 'add') {
        return api.put(manualRatePath(write.currency), { perEur: write.perEur }, manualRateSchema);
      }
      if (write.kind === 'change') {
        return api.put(
          manualRatePath(write.rate.currency),
          { perEur: write.perEur, version: write.rate.version },
          manualRateSchema,
        );
      }
      await api.remove(manualRateDeletePath(write.rate.currency, write.rate.version));
      return null;
    },
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: MONEY_KEY }),
        queryClient.invalidateQueries({ queryKey: DEVICES_KEY }),
      ]),
  });
}

function AddManualRateForm({ taken, onAdd }: { taken: ReadonlySet<string>; onAdd(write: Write): void }) {
  const [currency, setCurrency] = useState('');
  const [perEur, setPerEur] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const options = currencyOptions().filter((option) => option.value !== 'EUR' && !taken.has(option.value));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = manualRateUpdateSchema.safeParse({ perEur });
    const next = checked.success ? {} : fieldErrorsOfIssues(checked.error);
    if (!currency) next.currency = 'Choose a currency';
    setErrors(next);
    if (hasErrors(next)) return;
    onAdd({ kind: 'add', currency, perEur: perEur.trim() });
    setCurrency('');
    setPerEur('');
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Add a manual rate">
      <Group align="flex-start" gap="md">
        <NativeSelect
          label="Currency"
          data={[{ value: '', label: 'Choose…' }, ...options]}
          value={currency}
          error={errors.currency}
          onChange={(event) => setCurrency(event.currentTarget.value)}
          w={300}
        />
        <TextInput
          label="Units per 1 EUR"
          inputMode="decimal"
          autoComplete="off"
          placeholder="e.g. 1050.50"
          value={perEur}
          error={errors.perEur}
          onChange={(event) => setPerEur(event.currentTarget.value)}
          w={200}
        />
        <Button type="submit" mt={25}>
          Add rate
        </Button>
      </Group>
    </form>
  );
}

function RateRow({
  rate,
  canEdit,
  busy,
  onWrite,
}: {
  rate: ManualRate;
  canEdit: boolean;
  busy: boolean;
  onWrite(write: Write): void;
}) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(rate.perEur);
  const [error, setError] = useState<string | undefined>();

  const save = () => {
    const checked = manualRateUpdateSchema.safeParse({ perEur: draft });
    if (!checked.success) {
      setError(fieldErrorsOfIssues(checked.error).perEur);
      return;
    }
    setEditing(false);
    if (checked.data.perEur !== rate.perEur) onWrite({ kind: 'change', rate, perEur: checked.data.perEur });
  };

  return (
    <Table.Tr data-currency={rate.currency}>
      <CurrencyCell currency={rate.currency} />
      <Table.Td ta="right">
        {editing ? (
          <TextInput
            aria-label={`Units of ${rate.currency} per 1 EUR`}
            inputMode="decimal"
            size="xs"
            value={draft}
            error={error}
            autoFocus
            onChange={(event) => {
              setDraft(event.currentTarget.value);
              setError(undefined);
            }}
            onKeyDown={(event) => {
              if (event.key === 'Enter') save();
              if (event.key === 'Escape') setEditing(false);
            }}
            w={160}
            ml="auto"
          />
        ) : (
          <Text size="sm" ff="monospace">
            {rate.perEur}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {rate.inUse ? (
          <Badge color="teal" variant="light">
            In use
          </Badge>
        ) : (
          <Tooltip label="The ECB publishes this currency: its reference rate is used while it does">
            <Badge color="gray" variant="light">
              ECB rate used instead
            </Badge>
          </Tooltip>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm" c="dimmed">
          {formatMoment(rate.updatedAt)}
        </Text>
      </Table.Td>
      {canEdit && (
        <Table.Td>
          <Group gap={4} justify="flex-end" wrap="nowrap">
            {editing ? (
              <>
                <ActionIcon variant="subtle" aria-label={`Save the rate for ${rate.currency}`} onClick={save}>
                  <IconCheck size={16} aria-hidden />
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  aria-label="Cancel"
                  onClick={() => {
                    setEditing(false);
                    setDraft(rate.perEur);
                  }}
                >
                  <IconX size={16} aria-hidden />
                </ActionIcon>
              </>
            ) : (
              <>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  disabled={busy}
                  aria-label={`Change the rate for ${rate.currency}`}
                  onClick={() => {
                    setDraft(rate.perEur);
                    setEditing(true);
                  }}
                >
                  <IconPencil size={16} aria-hidden />
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  disabled={busy}
                  aria-label={`Remove the rate for ${rate.currency}`}
                  onClick={() => onWrite({ kind: 'remove', rate })}
                >
                  <IconTrash size={16} aria-hidden />
                </ActionIcon>
              </>
            )}
          </Group>
        </Table.Td>
      )}
    </Table.Tr>
  );
}

/**
 * DEV-1: manual rates, the fallback for currencies the ECB does not publish. Stored like the ECB's, as units
 * of the currency per 1 euro, so they stay right when the default currency changes.
 */
export function ManualRatesCard({
  rates,
  canEdit,
  reload,
}: {
  rates: readonly ManualRate[];
  canEdit: boolean;
  reload(): Promise<unknown>;
}) {
  const write = useManualRateWrites();
  const [reloading, setReloading] = useState(false);
  const errors = fieldErrorsOf(write.error);

  return (
    <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby="manual-rates-title">
      <Stack gap="md">
        <Stack gap={2}>
          <Title order={2} fz="lg" id="manual-rates-title">
            Manual rates
          </Title>
          <Text size="sm" c="dimmed" maw={720}>
            For currencies the European Central Bank does not publish: units of the currency per 1 euro, like
            the reference rates. Where the ECB has a rate, its rate is used and the manual one waits.
          </Text>
        </Stack>
        {write.isError && (
          <WriteErrorAlert
            error={write.error}
            what="manual rate"
            reloading={reloading}
            onReload={() => {
              setReloading(true);
              void reload().finally(() => {
                setReloading(false);
                write.reset();
              });
            }}
          />
        )}
        {hasErrors(errors) && (
          <Text size="sm" c="red">
            {Object.values(errors).join(' ')}
          </Text>
        )}
        {rates.length === 0 ? (
          <Text size="sm" c="dimmed">
            No manual rates.
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={560}>
            <Table verticalSpacing={6} aria-label="Manual rates" maw={860}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Currency</Table.Th>
                  <Table.Th ta="right">Per 1 EUR</Table.Th>
                  <Table.Th>Used</Table.Th>
                  <Table.Th>Changed</Table.Th>
                  {canEdit && (
                    <Table.Th>
                      <VisuallyHidden>Actions</VisuallyHidden>
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rates.map((rate) => (
                  <RateRow
                    key={`${rate.currency}-${rate.version}`}
                    rate={rate}
                    canEdit={canEdit}
                    busy={write.isPending}
                    onWrite={(next) => write.mutate(next)}
                  />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {canEdit ? (
          <AddManualRateForm
            taken={new Set(rates.map((rate) => rate.currency))}
            onAdd={(next) => write.mutate(next)}
          />
        ) : (
          <Text size="xs" c="dimmed">
            Only Administrators change the rates.
          </Text>
        )}
      </Stack>
    </Card>
  );
}
