import { Card, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconDeviceLaptop } from '@tabler/icons-react';
import { useSignedIn } from '../../auth/signedIn';
import { PageHeader } from '../../components/PageHeader';
import { MyEmployeeCard } from './MyEmployeeCard';

/**
 * An employee's own page: who they are in the directory and what is assigned to them. The inventory arrives
 * later, so for now the list is empty.
 */
export function MyDevicesPage() {
  const me = useSignedIn();
  const tenant = me.activeTenant;
  return (
    <>
      <PageHeader
        title="My devices"
        description={`Devices and software seats assigned to you${tenant ? ` in ${tenant.organizationName}` : ''}.`}
      />
      <Stack gap="lg">
        <MyEmployeeCard />
        <Card
          withBorder
          radius="lg"
          padding="xl"
          maw={720}
          component="section"
          aria-labelledby="my-devices-empty"
        >
          <Stack align="center" gap="sm" ta="center" py="md">
            <ThemeIcon size={52} radius="xl" variant="light" aria-hidden>
              <IconDeviceLaptop size={28} stroke={1.5} />
            </ThemeIcon>
            <Title order={2} fz="lg" id="my-devices-empty">
              Nothing is assigned to you yet
            </Title>
            <Text size="sm" c="dimmed" maw={480}>
              No devices or software seats are assigned to you yet. When your IT team hands you a laptop,
              phone, monitor or licence, it appears here, and you can confirm you still have it during an
              inventory audit.
            </Text>
          </Stack>
        </Card>
      </Stack>
    </>
  );
}
