import { Group, Text } from '@mantine/core';
import { IconBuildingStore, IconMapPin, IconTool, IconUser } from '@tabler/icons-react';
import type { Assignee } from '@thestorage/contracts';
import { EmployeeName } from '../../components/EmployeeName';

/** Who or where holds a device (DEV-4); an employee's name as the server resolved it just now (SEC-6). */
export function AssigneeText({ assignee, size = 'sm' }: { assignee: Assignee; size?: 'xs' | 'sm' | 'md' }) {
  const Icon =
    assignee.kind === 'employee'
      ? IconUser
      : assignee.kind === 'place'
        ? IconMapPin
        : assignee.kind === 'store'
          ? IconBuildingStore
          : IconTool;
  return (
    <Group gap={6} wrap="nowrap" component="span" display="inline-flex">
      <Icon size={16} stroke={1.6} aria-hidden style={{ flexShrink: 0 }} />
      {assignee.kind === 'employee' ? (
        <EmployeeName employee={assignee.employee} size={size} />
      ) : (
        <Text span size={size}>
          {assignee.kind === 'place'
            ? assignee.placeName
            : assignee.kind === 'store'
              ? 'Campaign store'
              : 'IT department'}
        </Text>
      )}
    </Group>
  );
}
