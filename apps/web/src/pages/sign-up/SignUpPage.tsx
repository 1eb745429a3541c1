import { Alert, Button, Center, Group, Loader, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { ErrorCode, type Me, meSchema } from '@thestorage/contracts';
import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, fieldErrorsOf, safeErrorMessage } from '../../api/client';
import { isSignedOutError, meQuery, useApiWrite } from '../../api/session';
import { homePath } from '../../auth/access';
import { Redirect } from '../../auth/Redirect';
import {
  normaliseSlugInput,
  slugFromName,
  TAKEN_SLUG_MESSAGE,
  TENANT_SLUG_RULE,
  tenantSlugProblem,
} from '../../auth/tenantSlug';
import { useSignOut } from '../../auth/useSignOut';
import { QueryState } from '../../components/QueryState';
import { AuthFrame } from '../AuthFrame';

interface Fields {
  organizationName: string;
  tenantSlug: string;
  tenantName: string;
}

function CreateOrganizationForm({ me }: { me: Me }) {
  const api = useApiWrite();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const signOut = useSignOut();
  const [fields, setFields] = useState<Fields>({ organizationName: '', tenantSlug: '', tenantName: '' });
  const [slugEdited, setSlugEdited] = useState(false);
  const [shown, setShown] = useState<Partial<Record<keyof Fields, string>>>({});

  const create = useMutation({
    mutationFn: (body: { organizationName: string; tenantSlug: string; tenantName?: string }) =>
      api.post('/api/v1/organizations', body, meSchema),
    onSuccess: async (next) => {
      queryClient.setQueryData(meQuery.queryKey, next);
      await navigate({ to: homePath(next) });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === ErrorCode.Conflict) {
        setShown({ tenantSlug: TAKEN_SLUG_MESSAGE });
        return;
      }
      setShown(fieldErrorsOf(error));
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const organizationName = fields.organizationName.trim();
    const tenantName = fields.tenantName.trim();
    const problems: Partial<Record<keyof Fields, string>> = {};
    if (organizationName.length < 2) problems.organizationName = 'Use at least 2 characters.';
    const slugProblem = tenantSlugProblem(fields.tenantSlug);
    if (slugProblem) problems.tenantSlug = slugProblem;
    if (tenantName.length === 1) problems.tenantName = 'Use at least 2 characters, or leave it empty.';
    setShown(problems);
    if (Object.keys(problems).length > 0) return;
    create.mutate({ organizationName, tenantSlug: fields.tenantSlug, tenantName: tenantName || undefined });
  };

  const unexplained =
    create.isError && !(create.error instanceof ApiError && create.error.code === ErrorCode.Conflict)
      ? Object.keys(fieldErrorsOf(create.error)).length === 0
      : false;

  return (
    <form onSubmit={submit} noValidate aria-label="Create organization">
      <Stack gap="md">
        <Stack gap={4}>
          <Title order={1} fz={24}>
            Create your organization
          </Title>
          <Text size="sm" c="dimmed">
            {me.user.name ? `Welcome, ${me.user.name}. ` : 'Welcome. '}
            You do not belong to an organization on TheStorage yet. Create one and you become its
            Administrator for every tenant. If a colleague already uses TheStorage, ask them for an invitation
            instead.
          </Text>
        </Stack>
        {unexplained && (
          <Alert color="red" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden />}>
            {safeErrorMessage(create.error)}
          </Alert>
        )}
        <TextInput
          label="Organization name"
          placeholder="Example Ltd"
          required
          maxLength={100}
          autoComplete="organization"
          value={fields.organizationName}
          error={shown.organizationName}
          onChange={(event) => {
            const organizationName = event.currentTarget.value;
            setFields((current) => ({
              ...current,
              organizationName,
              tenantSlug: slugEdited ? current.tenantSlug : slugFromName(organizationName),
            }));
          }}
        />
        <TextInput
          label="Tenant address"
          description={TENANT_SLUG_RULE}
          placeholder="example-berlin"
          required
          maxLength={40}
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          value={fields.tenantSlug}
          error={shown.tenantSlug}
          onChange={(event) => {
            const tenantSlug = normaliseSlugInput(event.currentTarget.value);
            setSlugEdited(true);
            setFields((current) => ({ ...current, tenantSlug }));
          }}
        />
        <TextInput
          label="Tenant name"
          description="A site such as “Berlin” or a department. Leave empty to use the organization name."
          placeholder="Berlin"
          maxLength={100}
          value={fields.tenantName}
          error={shown.tenantName}
          onChange={(event) => {
            const tenantName = event.currentTarget.value;
            setFields((current) => ({ ...current, tenantName }));
          }}
        />
        <Group justify="space-between" mt="xs">
          <Button variant="subtle" color="gray" onClick={() => signOut.mutate()} loading={signOut.isPending}>
            Sign out
          </Button>
          <Button type="submit" loading={create.isPending}>
            Create organization
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Sign-up: the first sign-in of someone without a membership creates an organization and its first tenant. */
export function SignUpPage() {
  const me = useQuery(meQuery);

  useEffect(() => {
    document.title = 'Create organization · TheStorage';
  }, []);

  if (me.isPending) {
    return (
      <Center h="100dvh" role="status" aria-label="Checking your sign-in">
        <Loader />
      </Center>
    );
  }
  if (me.isError && isSignedOutError(me.error)) {
    return <Redirect to="/sign-in" search={{ returnTo: '/sign-up' }} replace />;
  }
  if (me.isSuccess && !me.data.needsSignUp) {
    const home = homePath(me.data);
    if (home !== '/sign-up') return <Redirect to={home} replace />;
  }

  return (
    <AuthFrame>
      <QueryState query={me} label="your sign-in">
        {(data) => <CreateOrganizationForm me={data} />}
      </QueryState>
    </AuthFrame>
  );
}
