import { Alert, Button, Checkbox, Group, Modal, NativeSelect, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ErrorCode, type Member, type MemberRole, memberSchema } from '@thestorage/contracts';
import { type FormEvent, useState } from 'react';
import { ApiError, safeErrorMessage } from '../../../api/client';
import { memberPath, membersQuery } from '../../../api/members';
import { useApiWrite } from '../../../api/session';
import { memberName, memberRoleDescription, memberRoles } from './memberLabels';

interface EditMemberModalProps {
  member: Member | null;
  onClose(): void;
  /** Someone else changed the member first: the list is reloaded and the edit must be made again. */
  onStale(member: Member): void;
}

function EditMemberForm({ member, onClose, onStale }: EditMemberModalProps & { member: Member }) {
  const api = useApiWrite();
  const queryClient = useQueryClient();
  const [role, setRole] = useState<MemberRole>(member.role);
  const [isGlobal, setIsGlobal] = useState(member.isGlobal);

  const save = useMutation({
    mutationFn: () =>
      api.patch(memberPath(member.id), { role, isGlobal, version: member.version }, memberSchema),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: membersQuery.queryKey });
      onClose();
    },
    onError: async (error) => {
      if (error instanceof ApiError && error.code === ErrorCode.ModifiedBySomeoneElse) {
        await queryClient.invalidateQueries({ queryKey: membersQuery.queryKey });
        onStale(member);
      }
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const unchanged = role === member.role && isGlobal === member.isGlobal;

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Text size="sm">{memberName(member)}</Text>
        {save.isError && (
          <Alert color="red" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden />}>
            {safeErrorMessage(save.error)}
          </Alert>
        )}
        <NativeSelect
          label="Role"
          description={memberRoleDescription[role]}
          data={memberRoles.map((r) => ({ value: r.value, label: r.label }))}
          value={role}
          data-autofocus
          onChange={(event) => setRole(event.currentTarget.value as MemberRole)}
        />
        <Checkbox
          label="Global role"
          description="The role applies in every tenant of the organization, not only this one."
          checked={isGlobal}
          onChange={(event) => setIsGlobal(event.currentTarget.checked)}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending} disabled={unchanged}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Change a member's role and global flag, based on the version the list showed (optimistic concurrency). */
export function EditMemberModal({ member, onClose, onStale }: EditMemberModalProps) {
  return (
    <Modal opened={member !== null} onClose={onClose} title="Edit role">
      {member && (
        <EditMemberForm
          key={`${member.id}:${member.version}`}
          member={member}
          onClose={onClose}
          onStale={onStale}
        />
      )}
    </Modal>
  );
}
