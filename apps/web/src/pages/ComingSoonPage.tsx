import { Badge, Card, Group, List, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCheck, IconHourglassHigh } from '@tabler/icons-react';
import { PageHeader } from '../components/PageHeader';
import type { UpcomingPage } from './upcomingPages';

/** A page whose feature arrives in a later release: says what it will do instead of showing an empty frame. */
export function ComingSoonPage({ page }: { page: UpcomingPage }) {
  return (
    <>
      <PageHeader title={page.title} />
      <Card withBorder radius="lg" padding="xl" maw={720}>
        <Stack gap="md">
          <Group gap="md" wrap="nowrap" align="flex-start">
            <ThemeIcon size={44} radius="md" variant="light" aria-hidden>
              <IconHourglassHigh size={24} stroke={1.6} />
            </ThemeIcon>
            <Stack gap={6}>
              <Group gap="xs">
                <Title order={2} fz="lg">
                  Coming soon
                </Title>
                <Badge variant="light" size="sm">
                  In development
                </Badge>
              </Group>
              <Text size="sm">{page.summary}</Text>
            </Stack>
          </Group>
          <List
            spacing={6}
            size="sm"
            c="dimmed"
            pl={60}
            icon={
              <ThemeIcon size={18} radius="xl" variant="light" color="teal" aria-hidden>
                <IconCheck size={12} stroke={2} />
              </ThemeIcon>
            }
          >
            {page.highlights.map((highlight) => (
              <List.Item key={highlight}>{highlight}</List.Item>
            ))}
          </List>
        </Stack>
      </Card>
    </>
  );
}
