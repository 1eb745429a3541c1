import { Badge, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconKey, IconKeyOff } from '@tabler/icons-react';
import type { ScimTokenCreated, ScimTokenStatus } from '@thestorage/contracts';
import { formatDateTime } from '../directory/directoryLabels';
import { RegenerateScimTokenModal } from './RegenerateScimTokenModal';
import { RevokeScimTokenModal } from './RevokeScimTokenModal';
import { ScimErrorAlert } from './ScimErrorAlert';
import { useGenerateScimToken } from './useGenerateScimToken';

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm">{value}</Text>
    </Stack>
  );
}

interface ScimTokenCardProps {
  status: ScimTokenStatus;
  onGenerated(created: ScimTokenCreated): void;
  onRevoked(): void;
}

/** Whether the tenant has a SCIM token, when it was made and last used; generate, regenerate or revoke it. */
export function ScimTokenCard({ status, onGenerated, onRevoked }: ScimTokenCardProps) {
  const [regenerating, regenerateDialog] = useDisclosure(false);
  const [revoking, revokeDialog] = useDisclosure(false);
  const generate = useGenerateScimToken(onGenerated);

  return (
    <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby="scim-token-title">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start">
          <Group gap="sm">
            <Title order={2} fz="lg" id="scim-token-title">
              SCIM token
            </Title>
            <Badge variant="light" color={status.exists ? 'teal' : 'gray'} data-testid="scim-token-status">
              {status.exists ? 'Active' : 'No token'}
            </Badge>
          </Group>
          {status.exists && (
            <Button
              variant="subtle"
              color="red"
              leftSection={<IconKeyOff size={16} aria-hidden />}
              onClick={revokeDialog.open}
            >
              Revoke token
            </Button>
          )}
        </Group>
        {status.exists ? (
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <Fact label="Created" value={formatDateTime(status.createdAt)} />
            <Fact label="Last used" value={formatDateTime(status.lastUsedAt)} />
          </SimpleGrid>
        ) : (
          <Text size="sm">
            No token yet: no identity provider can push people to this tenant until you generate one.
          </Text>
        )}
        {generate.isError && <ScimErrorAlert error={generate.error} />}
        <Group>
          {status.exists ? (
            <Button
              variant="default"
              leftSection={<IconKey size={16} aria-hidden />}
              onClick={regenerateDialog.open}
            >
              Regenerate token
            </Button>
          ) : (
            <Button
              leftSection={<IconKey size={16} aria-hidden />}
              loading={generate.isPending}
              onClick={() => generate.mutate()}
            >
              Generate token
            </Button>
          )}
        </Group>
      </Stack>
      <RegenerateScimTokenModal
        opened={regenerating}
        onClose={regenerateDialog.close}
        onGenerated={onGenerated}
      />
      <RevokeScimTokenModal opened={revoking} onClose={revokeDialog.close} onRevoked={onRevoked} />
    </Card>
  );
}
