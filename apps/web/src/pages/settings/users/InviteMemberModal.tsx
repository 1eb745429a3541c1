import {
  ActionIcon,
  Alert,
  Button,
  Checkbox,
  CopyButton,
  Group,
  Modal,
  NativeSelect,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy, IconMailCheck } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { invitationSchema, type MemberRole } from '@thestorage/contracts';
import { type FormEvent, useState } from 'react';
import type { z } from 'zod';
import { fieldErrorsOf, safeErrorMessage } from '../../../api/client';
import { membersQuery } from '../../../api/members';
import { useApiWrite } from '../../../api/session';
import { memberRoleDescription, memberRoles } from './memberLabels';

type Invitation = z.infer<typeof invitationSchema>;

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function InvitationResult({ invitation, onDone }: { invitation: Invitation; onDone(): void }) {
  const email = invitation.member.email ?? 'the invitee';
  return (
    <Stack gap="md">
      {invitation.emailSent ? (
        <Alert color="teal" variant="light" role="status" icon={<IconMailCheck size={18} aria-hidden />}>
          An invitation e-mail was sent to {email}. They appear as Pending until they first sign in.
        </Alert>
      ) : (
        <>
          <Text size="sm">
            No mail server is configured, so no e-mail was sent. Send this invitation link to {email}{' '}
            yourself; they appear as Pending until they first sign in with that address.
          </Text>
          <TextInput
            label="Invitation link"
            readOnly
            value={invitation.invitationUrl}
            onFocus={(event) => event.currentTarget.select()}
            rightSection={
              <CopyButton value={invitation.invitationUrl}>
                {({ copied, copy }) => (
                  <Tooltip label={copied ? 'Copied' : 'Copy'}>
                    <ActionIcon
                      variant="subtle"
                      color={copied ? 'teal' : 'gray'}
                      onClick={copy}
                      aria-label={copied ? 'Copied' : 'Copy invitation link'}
                    >
                      {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                    </ActionIcon>
                  </Tooltip>
                )}
              </CopyButton>
            }
          />
        </>
      )}
      <Group justify="flex-end">
        <Button onClick={onDone}>Done</Button>
      </Group>
    </Stack>
  );
}

/** Invite by e-mail with a role and the global flag; the link is shown when no e-mail could be sent. */
export function InviteMemberModal({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const api = useApiWrite();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<MemberRole>('operator');
  const [isGlobal, setIsGlobal] = useState(false);
  const [emailError, setEmailError] = useState<string | undefined>();

  const invite = useMutation({
    mutationFn: (body: { email: string; role: MemberRole; isGlobal: boolean }) =>
      api.post('/api/v1/members', body, invitationSchema),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: membersQuery.queryKey }),
    onError: (error) => setEmailError(fieldErrorsOf(error).email),
  });

  const close = () => {
    setEmail('');
    setRole('operator');
    setIsGlobal(false);
    setEmailError(undefined);
    invite.reset();
    onClose();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const address = email.trim();
    if (!EMAIL_PATTERN.test(address)) {
      setEmailError('Enter an e-mail address such as name@example.com.');
      return;
    }
    setEmailError(undefined);
    invite.mutate({ email: address, role, isGlobal });
  };

  return (
    <Modal opened={opened} onClose={close} title={invite.isSuccess ? 'Invitation created' : 'Invite member'}>
      {invite.isSuccess ? (
        <InvitationResult invitation={invite.data} onDone={close} />
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            {invite.isError && !emailError && (
              <Alert
                color="red"
                variant="light"
                role="alert"
                icon={<IconAlertTriangle size={18} aria-hidden />}
              >
                {safeErrorMessage(invite.error)}
              </Alert>
            )}
            <TextInput
              label="E-mail"
              type="email"
              required
              data-autofocus
              autoComplete="off"
              maxLength={254}
              value={email}
              error={emailError}
              onChange={(event) => setEmail(event.currentTarget.value)}
            />
            <NativeSelect
              label="Role"
              description={memberRoleDescription[role]}
              data={memberRoles.map((r) => ({ value: r.value, label: r.label }))}
              value={role}
              onChange={(event) => setRole(event.currentTarget.value as MemberRole)}
            />
            <Checkbox
              label="Global role"
              description="The role applies in every tenant of the organization, not only this one."
              checked={isGlobal}
              onChange={(event) => setIsGlobal(event.currentTarget.checked)}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={invite.isPending}>
                Send invitation
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
