import { Button, Card, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconArrowLeft, IconMapOff } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { useEffect } from 'react';

export function NotFoundPage() {
  useEffect(() => {
    document.title = 'Page not found · TheStorage';
  }, []);

  return (
    <Card withBorder radius="lg" padding="xl" maw={560} mx="auto" mt="xl">
      <Stack align="center" gap="sm" ta="center">
        <ThemeIcon size={52} radius="xl" variant="light" color="gray" aria-hidden>
          <IconMapOff size={28} stroke={1.5} />
        </ThemeIcon>
        <Title order={1} fz={24}>
          Page not found
        </Title>
        <Text c="dimmed" size="sm">
          This address does not lead to a page of TheStorage. It may have been mistyped or the page has moved.
        </Text>
        <Button
          component={Link}
          to="/"
          variant="light"
          leftSection={<IconArrowLeft size={16} aria-hidden />}
          mt="xs"
        >
          Back to the dashboard
        </Button>
      </Stack>
    </Card>
  );
}
