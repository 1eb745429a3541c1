import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Stack,
  Table,
  Text,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconAlertTriangle, IconPencil, IconUserMinus, IconUserPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { Member } from '@thestorage/contracts';
import { useState } from 'react';
import { membersQuery } from '../../../api/members';
import { useSignedIn } from '../../../auth/signedIn';
import { QueryState } from '../../../components/QueryState';
import { formatDay } from '../planLabels';
import { EditMemberModal } from './EditMemberModal';
import { InviteMemberModal } from './InviteMemberModal';
import { memberName, memberRoles, statusColor, statusLabel } from './memberLabels';
import { RemoveMemberModal } from './RemoveMemberModal';

const roleName = Object.fromEntries(memberRoles.map((r) => [r.value, r.label])) as Record<
  Member['role'],
  string
>;

interface MembersTableProps {
  members: readonly Member[];
  onEdit(member: Member): void;
  onRemove(member: Member): void;
}

function MembersTable({ members, onEdit, onRemove }: MembersTableProps) {
  if (members.length === 0) {
    return (
      <Text size="sm" c="dimmed" p="lg">
        Nobody has been invited yet.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={680}>
      <Table verticalSpacing="sm" horizontalSpacing="md" aria-label="Members">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>E-mail</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Scope</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Added</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {members.map((member) => {
            const name = memberName(member);
            return (
              <Table.Tr key={member.id} data-member={member.email ?? member.id}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {name}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{roleName[member.role]}</Text>
                </Table.Td>
                <Table.Td>
                  {member.isGlobal ? (
                    <Badge variant="light" color="indigo" size="sm">
                      Global
                    </Badge>
                  ) : (
                    <Text size="sm" c="dimmed">
                      This tenant
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={statusColor[member.status]} size="sm">
                    {statusLabel[member.status]}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{formatDay(member.createdAt)}</Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    <Tooltip label="Edit role">
                      <ActionIcon
                        variant="subtle"
                        onClick={() => onEdit(member)}
                        aria-label={`Edit role of ${name}`}
                      >
                        <IconPencil size={16} />
                      </ActionIcon>
                    </Tooltip>
                    <Tooltip label="Remove access">
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        onClick={() => onRemove(member)}
                        aria-label={`Remove access for ${name}`}
                      >
                        <IconUserMinus size={16} />
                      </ActionIcon>
                    </Tooltip>
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Settings → Users & Roles (Administrators): invite, change roles, remove access. */
export function UsersAndRolesPage() {
  const me = useSignedIn();
  const members = useQuery(membersQuery);
  const [inviting, invite] = useDisclosure(false);
  const [editing, setEditing] = useState<Member | null>(null);
  const [removing, setRemoving] = useState<Member | null>(null);
  const [staleMember, setStaleMember] = useState<Member | null>(null);

  return (
    <Stack gap="md" maw={1100}>
      <Group justify="space-between" align="flex-end">
        <Text size="sm" c="dimmed" maw={640}>
          Invite people by e-mail with a role. They stay Pending until they first sign in with that address at
          a provider your organization accepts, then they are Registered.
        </Text>
        <Button leftSection={<IconUserPlus size={16} aria-hidden />} onClick={invite.open}>
          Invite member
        </Button>
      </Group>
      {staleMember && (
        <Alert
          color="orange"
          variant="light"
          role="alert"
          title="Modified by someone else"
          icon={<IconAlertTriangle size={18} aria-hidden />}
          withCloseButton
          closeButtonLabel="Dismiss"
          onClose={() => setStaleMember(null)}
        >
          {memberName(staleMember)} was changed by someone else while you were editing. The list now shows the
          current state; make your change again if it is still needed.
        </Alert>
      )}
      <Card withBorder radius="lg" padding={0}>
        <QueryState query={members} label="the members">
          {(data) => (
            <MembersTable
              members={data.members}
              onEdit={(member) => {
                setStaleMember(null);
                setEditing(member);
              }}
              onRemove={setRemoving}
            />
          )}
        </QueryState>
      </Card>
      <InviteMemberModal opened={inviting} onClose={invite.close} />
      <EditMemberModal
        member={editing}
        onClose={() => setEditing(null)}
        onStale={(member) => {
          setEditing(null);
          setStaleMember(member);
        }}
      />
      <RemoveMemberModal
        member={removing}
        tenantName={me.activeTenant?.name ?? 'this tenant'}
        onClose={() => setRemoving(null)}
      />
    </Stack>
  );
}
