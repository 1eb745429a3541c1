import { Card, Group, ThemeIcon, Title } from '@mantine/core';
import type { Icon } from '@tabler/icons-react';
import type { ReactNode } from 'react';

export interface DashboardCardProps {
  /** Id of the title, which names the card's region. */
  id: string;
  title: string;
  icon: Icon;
  color?: string;
  /** A link or figure at the right of the title. */
  aside?: ReactNode;
  children: ReactNode;
}

/** One topic of the dashboard: a titled region, the same frame for every card. */
export function DashboardCard({ id, title, icon: TitleIcon, color, aside, children }: DashboardCardProps) {
  return (
    <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby={id}>
      <Group justify="space-between" mb="md" gap="sm" wrap="nowrap" align="flex-start">
        <Group gap="sm" wrap="nowrap">
          <ThemeIcon size={34} radius="md" variant="light" color={color} aria-hidden>
            <TitleIcon size={20} stroke={1.6} />
          </ThemeIcon>
          <Title order={2} fz="lg" id={id}>
            {title}
          </Title>
        </Group>
        {aside}
      </Group>
      {children}
    </Card>
  );
}
