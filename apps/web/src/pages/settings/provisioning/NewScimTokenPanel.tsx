import {
  ActionIcon,
  Alert,
  Button,
  Card,
  CopyButton,
  Group,
  Stack,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';
import type { ScimTokenCreated } from '@thestorage/contracts';
import { useEffect, useRef } from 'react';

function CopyableField({ label, copyLabel, value }: { label: string; copyLabel: string; value: string }) {
  return (
    <TextInput
      label={label}
      readOnly
      value={value}
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
      spellCheck={false}
      autoComplete="off"
      onFocus={(event) => event.currentTarget.select()}
      rightSection={
        <CopyButton value={value}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? 'Copied' : 'Copy'}>
              <ActionIcon
                variant="subtle"
                color={copied ? 'teal' : 'gray'}
                onClick={copy}
                aria-label={copied ? 'Copied' : copyLabel}
              >
                {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      }
    />
  );
}

interface NewScimTokenPanelProps {
  created: ScimTokenCreated;
  onDone(): void;
}

/** The one time the token is shown (DIR-4): the base URL and the token to copy into the identity provider. */
export function NewScimTokenPanel({ created, onDone }: NewScimTokenPanelProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  // Keyboard and screen-reader users land on the token they must copy now.
  useEffect(() => heading.current?.focus(), []);

  return (
    <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby="new-scim-token-title">
      <Stack gap="md">
        <Title order={2} fz="lg" id="new-scim-token-title" ref={heading} tabIndex={-1}>
          Your new SCIM token
        </Title>
        <Alert
          color="yellow"
          variant="light"
          title="Copy the token now"
          icon={<IconAlertTriangle size={18} aria-hidden />}
        >
          This is the only time the token is shown: it is stored only as a hash and cannot be shown again once
          you leave this page. If it is lost, generate a new one.
        </Alert>
        <Text size="sm" c="dimmed">
          In Microsoft Entra ID, enter these as the Tenant URL and the Secret Token of the provisioning
          settings; in Okta, as the SCIM connector base URL and the HTTP header bearer token.
        </Text>
        <CopyableField label="SCIM base URL" copyLabel="Copy SCIM base URL" value={created.scimBaseUrl} />
        <CopyableField label="Token" copyLabel="Copy token" value={created.token} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Done
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
