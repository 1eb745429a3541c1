import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { ScimTokenCreated } from '@thestorage/contracts';
import { ScimErrorAlert } from './ScimErrorAlert';
import { useGenerateScimToken } from './useGenerateScimToken';

interface RegenerateScimTokenModalProps {
  opened: boolean;
  onClose(): void;
  onGenerated(created: ScimTokenCreated): void;
}

/** Regenerating asks first: the token in the identity provider stops working at once (DIR-4). */
export function RegenerateScimTokenModal({ opened, onClose, onGenerated }: RegenerateScimTokenModalProps) {
  const regenerate = useGenerateScimToken(onGenerated);
  const close = () => {
    regenerate.reset();
    onClose();
  };

  return (
    <Modal
      opened={opened}
      onClose={close}
      title="Regenerate the SCIM token"
      // Once the new token is there, the focus stays on it rather than going back to the opening button.
      returnFocus={!regenerate.isSuccess}
    >
      <Stack gap="md">
        <Text size="sm">
          The current token stops working immediately: your identity provider cannot push people until you
          enter the new token there.
        </Text>
        <Text size="sm" c="dimmed">
          The new token is shown only once, right after it is generated.
        </Text>
        {regenerate.isError && <ScimErrorAlert error={regenerate.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={close} data-autofocus>
            Cancel
          </Button>
          <Button
            color="red"
            loading={regenerate.isPending}
            onClick={() => regenerate.mutate(undefined, { onSuccess: onClose })}
          >
            Regenerate token
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
