import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../../api/client';
import { SCIM_TOKEN_PATH, scimTokenStatusQuery } from '../../../api/scim';
import { useApiWrite } from '../../../api/session';
import { ScimErrorAlert } from './ScimErrorAlert';

interface RevokeScimTokenModalProps {
  opened: boolean;
  onClose(): void;
  onRevoked(): void;
}

/** Revoking asks first and says what happens to the people already pushed (SEC-5): they expire. */
export function RevokeScimTokenModal({ opened, onClose, onRevoked }: RevokeScimTokenModalProps) {
  const api = useApiWrite();
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: async () => {
      try {
        await api.remove(SCIM_TOKEN_PATH);
      } catch (error) {
        // Someone else revoked it first: the token is gone either way.
        if (!(error instanceof ApiError && error.status === 404)) throw error;
      }
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: scimTokenStatusQuery.queryKey });
      onRevoked();
      close();
    },
  });
  const close = () => {
    revoke.reset();
    onClose();
  };

  return (
    <Modal opened={opened} onClose={close} title="Revoke the SCIM token">
      <Stack gap="md">
        <Text size="sm">
          Your identity provider can no longer push people with this token. People it pushed stay in the
          employee cache for 14 days after its last SCIM request, and show as “Unknown employee” from then on.
        </Text>
        <Text size="sm" c="dimmed">
          Generating a new token and entering it in the identity provider resumes provisioning.
        </Text>
        {revoke.isError && <ScimErrorAlert error={revoke.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={close} data-autofocus>
            Cancel
          </Button>
          <Button color="red" loading={revoke.isPending} onClick={() => revoke.mutate()}>
            Revoke token
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
