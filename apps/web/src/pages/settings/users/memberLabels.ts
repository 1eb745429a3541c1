import type { Member, MemberRole } from '@thestorage/contracts';

export const memberRoles: readonly { value: MemberRole; label: string }[] = [
  { value: 'administrator', label: 'Administrator' },
  { value: 'operator', label: 'Operator' },
  { value: 'viewer', label: 'Viewer' },
];

export const memberRoleDescription: Record<MemberRole, string> = {
  administrator: 'Everything, including settings, users & roles, subscription, export and deletion.',
  operator: 'Day-to-day inventory work, none of the administrator-only actions.',
  viewer: 'Reads everything, changes nothing; licence keys stay masked.',
};

export const statusLabel: Record<Member['status'], string> = { pending: 'Pending', registered: 'Registered' };
export const statusColor: Record<Member['status'], string> = { pending: 'yellow', registered: 'teal' };

export function memberName(member: Member): string {
  return member.email ?? 'Member without e-mail';
}
