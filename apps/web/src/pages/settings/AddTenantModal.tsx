import { Alert, Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ErrorCode, tenantSummarySchema } from '@thestorage/contracts';
import { type FormEvent, useState } from 'react';
import type { z } from 'zod';
import { ApiError, fieldErrorsOf, safeErrorMessage } from '../../api/client';
import { meQuery, useApiWrite } from '../../api/session';
import {
  normaliseSlugInput,
  slugFromName,
  TAKEN_SLUG_MESSAGE,
  TENANT_SLUG_RULE,
  tenantSlugProblem,
} from '../../auth/tenantSlug';

export type TenantSummary = z.infer<typeof tenantSummarySchema>;

interface AddTenantModalProps {
  opened: boolean;
  onClose(): void;
  onAdded(tenant: TenantSummary): void;
}

/** Another tenant of the organization (a site or a department); it starts with its own 30-day trial. */
export function AddTenantModal({ opened, onClose, onAdded }: AddTenantModalProps) {
  const api = useApiWrite();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [slugEdited, setSlugEdited] = useState(false);
  const [shown, setShown] = useState<{ name?: string; slug?: string }>({});

  const reset = () => {
    setName('');
    setSlug('');
    setSlugEdited(false);
    setShown({});
    create.reset();
  };

  const create = useMutation({
    mutationFn: (body: { name: string; slug: string }) =>
      api.post('/api/v1/tenants', body, tenantSummarySchema),
    onSuccess: async (tenant) => {
      // The tenant list and the switcher come from /me.
      await queryClient.invalidateQueries({ queryKey: meQuery.queryKey });
      reset();
      onAdded(tenant);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === ErrorCode.Conflict)
        setShown({ slug: TAKEN_SLUG_MESSAGE });
      else setShown(fieldErrorsOf(error));
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: { name?: string; slug?: string } = {};
    if (name.trim().length < 2) problems.name = 'Use at least 2 characters.';
    const slugProblem = tenantSlugProblem(slug);
    if (slugProblem) problems.slug = slugProblem;
    setShown(problems);
    if (Object.keys(problems).length === 0) create.mutate({ name: name.trim(), slug });
  };

  const unexplained =
    create.isError &&
    !(create.error instanceof ApiError && create.error.code === ErrorCode.Conflict) &&
    Object.keys(fieldErrorsOf(create.error)).length === 0;

  return (
    <Modal
      opened={opened}
      onClose={() => {
        reset();
        onClose();
      }}
      title="Add tenant"
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {unexplained && (
            <Alert
              color="red"
              variant="light"
              role="alert"
              icon={<IconAlertTriangle size={18} aria-hidden />}
            >
              {safeErrorMessage(create.error)}
            </Alert>
          )}
          <TextInput
            label="Tenant name"
            placeholder="Boston"
            required
            data-autofocus
            maxLength={100}
            value={name}
            error={shown.name}
            onChange={(event) => {
              const next = event.currentTarget.value;
              setName(next);
              if (!slugEdited) setSlug(slugFromName(next));
            }}
          />
          <TextInput
            label="Tenant address"
            description={TENANT_SLUG_RULE}
            required
            maxLength={40}
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            value={slug}
            error={shown.slug}
            onChange={(event) => {
              setSlugEdited(true);
              setSlug(normaliseSlugInput(event.currentTarget.value));
            }}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Add tenant
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
