import { Card, Group, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconId } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { ResolvedEmployee } from '@thestorage/contracts';
import { myEmployeeQuery } from '../../api/directory';
import { EmployeeName } from '../../components/EmployeeName';
import { QueryState } from '../../components/QueryState';

function EmployeeCard({ employee }: { employee: ResolvedEmployee }) {
  return (
    <Card
      withBorder
      radius="lg"
      padding="lg"
      maw={720}
      component="section"
      aria-labelledby="my-employee-title"
    >
      <Group gap="md" wrap="nowrap" align="flex-start">
        <ThemeIcon size={44} radius="xl" variant="light" aria-hidden>
          <IconId size={24} stroke={1.6} />
        </ThemeIcon>
        <Stack gap={4}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600} id="my-employee-title">
            Your directory profile
          </Text>
          <EmployeeName employee={employee} jobTitle="line" size="md" />
          {!employee.known && (
            <Text size="sm" c="dimmed" maw={520}>
              Your organization's directory has not confirmed you for 14 days, so your name is not shown.
              Devices assigned to you stay assigned; if this lasts, ask your IT team to check the directory
              connection.
            </Text>
          )}
        </Stack>
      </Group>
    </Card>
  );
}

/** Who the signed-in person is as an employee (SEC-6): nothing when their sign-in has no directory identity. */
export function MyEmployeeCard() {
  const me = useQuery(myEmployeeQuery);
  return (
    <QueryState query={me} label="your directory profile">
      {({ employee }) => employee && <EmployeeCard employee={employee} />}
    </QueryState>
  );
}
