import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Member } from '@thestorage/contracts';
import { safeErrorMessage } from '../../../api/client';
import { memberPath, membersQuery } from '../../../api/members';
import { useApiWrite } from '../../../api/session';
import { memberName } from './memberLabels';

interface RemoveMemberModalProps {
  member: Member | null;
  tenantName: string;
  onClose(): void;
}

/** "Remove access" revokes the membership only (SPEC section 1): the confirmation says so. */
export function RemoveMemberModal({ member, tenantName, onClose }: RemoveMemberModalProps) {
  const api = useApiWrite();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (target: Member) => api.remove(memberPath(target.id)),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: membersQuery.queryKey });
      close();
    },
  });
  const close = () => {
    remove.reset();
    onClose();
  };

  return (
    <Modal opened={member !== null} onClose={close} title="Remove access">
      {member && (
        <Stack gap="md">
          <Text size="sm">
            <strong>{memberName(member)}</strong> will no longer be able to sign in to{' '}
            {member.isGlobal ? 'any tenant of the organization' : tenantName}.
          </Text>
          <Text size="sm" c="dimmed">
            Nothing else is touched: devices, assignments, history and audit records stay exactly as they are.
            You can invite them again at any time.
          </Text>
          {remove.isError && (
            <Alert
              color="red"
              variant="light"
              role="alert"
              icon={<IconAlertTriangle size={18} aria-hidden />}
            >
              {safeErrorMessage(remove.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close} data-autofocus>
              Cancel
            </Button>
            <Button color="red" loading={remove.isPending} onClick={() => remove.mutate(member)}>
              Remove access
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
