import { Button, Card, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconArrowLeft, IconLock } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { useEffect } from 'react';
import { homePath, roleLabel } from '../auth/access';
import { useSignedIn } from '../auth/signedIn';

/** Shown when the address exists but the person's role may not open it. */
export function NotAllowedPage() {
  const me = useSignedIn();
  useEffect(() => {
    document.title = 'Not allowed · TheStorage';
  }, []);
  const role = me.activeTenant ? roleLabel[me.activeTenant.role] : null;

  return (
    <Card withBorder radius="lg" padding="xl" maw={560} mx="auto" mt="xl">
      <Stack align="center" gap="sm" ta="center">
        <ThemeIcon size={52} radius="xl" variant="light" color="orange" aria-hidden>
          <IconLock size={28} stroke={1.5} />
        </ThemeIcon>
        <Title order={1} fz={24}>
          You are not allowed to open this page
        </Title>
        <Text c="dimmed" size="sm">
          {role
            ? `Your role in ${me.activeTenant?.name} is ${role}, which does not include this page. An Administrator can change your role.`
            : 'You have no role in a tenant that includes this page.'}
        </Text>
        <Button
          component={Link}
          to={homePath(me)}
          variant="light"
          leftSection={<IconArrowLeft size={16} aria-hidden />}
          mt="xs"
        >
          Back to your start page
        </Button>
      </Stack>
    </Card>
  );
}
