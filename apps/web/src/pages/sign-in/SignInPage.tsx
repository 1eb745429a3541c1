import { Alert, Badge, Button, Stack, Text, Title } from '@mantine/core';
import {
  IconAlertTriangle,
  IconBrandGoogle,
  IconBrandWindows,
  IconCode,
  IconInfoCircle,
  IconKey,
  IconLock,
} from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import type { SignInProvider } from '@thestorage/contracts';
import { useEffect } from 'react';
import { signInProvidersQuery } from '../../api/session';
import { signInStartUrl } from '../../auth/returnTo';
import { signInErrorMessage } from '../../auth/signInErrors';
import { QueryState } from '../../components/QueryState';
import { AuthFrame } from '../AuthFrame';

const route = getRouteApi('/sign-in');

const providerIcon: Record<SignInProvider['kind'], typeof IconKey> = {
  entra: IconBrandWindows,
  'microsoft-account': IconBrandWindows,
  google: IconBrandGoogle,
  oidc: IconKey,
  dev: IconCode,
};

function ProviderButtons({ providers, returnTo }: { providers: SignInProvider[]; returnTo?: string }) {
  if (providers.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No sign-in provider is configured on this server. Ask its operator to set one up.
      </Text>
    );
  }
  return (
    <Stack gap="sm">
      {providers.map((provider) => {
        const Icon = providerIcon[provider.kind];
        return (
          // A full-page navigation: the server sends the browser on to the identity provider.
          <Button
            key={provider.id}
            component="a"
            href={signInStartUrl(provider.id, returnTo)}
            variant={provider.kind === 'dev' ? 'light' : 'default'}
            size="md"
            fullWidth
            leftSection={<Icon size={18} stroke={1.6} aria-hidden />}
            rightSection={
              provider.kind === 'dev' ? (
                <Badge size="xs" color="orange" variant="filled">
                  Development only
                </Badge>
              ) : undefined
            }
          >
            {provider.label}
          </Button>
        );
      })}
    </Stack>
  );
}

/** Sign-in: one button per identity provider; failures come back here as `?error=<reason>`. */
export function SignInPage() {
  const { error, returnTo, signedOut } = route.useSearch();
  const providers = useQuery(signInProvidersQuery);

  useEffect(() => {
    document.title = 'Sign in · TheStorage';
  }, []);

  return (
    <AuthFrame>
      <Stack gap={4}>
        <Title order={1} fz={24}>
          Sign in
        </Title>
        <Text size="sm" c="dimmed">
          Use your organization’s account to open TheStorage.
        </Text>
      </Stack>
      {error && (
        <Alert
          color="red"
          variant="light"
          title="Sign-in did not succeed"
          icon={<IconAlertTriangle size={18} aria-hidden />}
          role="alert"
        >
          {signInErrorMessage(error)}
        </Alert>
      )}
      {signedOut && !error && (
        <Alert color="teal" variant="light" icon={<IconInfoCircle size={18} aria-hidden />} role="status">
          You are signed out.
        </Alert>
      )}
      <QueryState query={providers} label="the sign-in options">
        {(data) => <ProviderButtons providers={data.providers} returnTo={returnTo} />}
      </QueryState>
      <Text size="xs" c="dimmed" style={{ display: 'flex', gap: 6, alignItems: 'flex-start' }}>
        <IconLock size={14} aria-hidden style={{ flexShrink: 0, marginTop: 2 }} />
        <span>
          TheStorage never sees or stores your password: you sign in at your identity provider, which tells
          TheStorage only who you are.
        </span>
      </Text>
    </AuthFrame>
  );
}
