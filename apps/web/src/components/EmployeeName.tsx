import {
  Badge,
  Group,
  type MantineSize,
  Skeleton,
  Stack,
  Text,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { type ResolvedEmployee, UNKNOWN_EMPLOYEE } from '@thestorage/contracts';
import { type ReactNode, useId } from 'react';

export const UNKNOWN_EMPLOYEE_EXPLANATION =
  'This person is no longer in the 14-day employee cache: the directory has not confirmed them for 14 days.';

/** Where a known employee's job title goes: a dimmed line under the name, or a tooltip on it. */
export type JobTitlePlacement = 'line' | 'tooltip';

export interface EmployeeNameProps {
  /** The employee as resolved at display time; undefined while the reference is still being resolved. */
  employee: ResolvedEmployee | undefined;
  /** Show the job title, if the directory has one; left out, only the name shows. */
  jobTitle?: JobTitlePlacement;
  size?: MantineSize;
}

/** A tooltip that keyboards reach and screen readers read as the target's description. */
function Explained({ explanation, children }: { explanation: string; children: ReactNode }) {
  const id = useId();
  return (
    <>
      <Tooltip label={explanation} multiline maw={300} events={{ hover: true, focus: true, touch: true }}>
        <Text span inherit tabIndex={0} aria-describedby={id}>
          {children}
        </Text>
      </Tooltip>
      <span id={id} hidden>
        {explanation}
      </span>
    </>
  );
}

function InactiveBadge() {
  return (
    <Badge variant="light" color="gray" size="sm">
      Inactive
    </Badge>
  );
}

/**
 * An employee's name as the 14-day cache knows it now (SEC-5/SEC-6), or "Unknown employee" once the
 * directory has not confirmed the person for 14 days.
 */
export function EmployeeName({ employee, jobTitle, size = 'sm' }: EmployeeNameProps) {
  if (employee === undefined) {
    return (
      <>
        <Skeleton height={10} width={112} radius="xl" display="inline-block" aria-hidden />
        <VisuallyHidden>Loading the name</VisuallyHidden>
      </>
    );
  }

  if (!employee.known) {
    return (
      <Text span size={size} fs="italic" c="dimmed" data-employee="unknown">
        <Explained explanation={UNKNOWN_EMPLOYEE_EXPLANATION}>{UNKNOWN_EMPLOYEE}</Explained>
      </Text>
    );
  }

  const title = jobTitle ? employee.jobTitle : null;
  const name =
    title && jobTitle === 'tooltip' ? (
      <Explained explanation={title}>{employee.displayName}</Explained>
    ) : (
      employee.displayName
    );
  const nameLine = (
    <Group component="span" gap="xs" wrap="nowrap" display="inline-flex">
      <Text span size={size} fw={500}>
        {name}
      </Text>
      {employee.active === false && <InactiveBadge />}
    </Group>
  );

  if (title && jobTitle === 'line') {
    return (
      <Stack gap={0}>
        {nameLine}
        <Text size="xs" c="dimmed">
          {title}
        </Text>
      </Stack>
    );
  }
  return nameLine;
}
