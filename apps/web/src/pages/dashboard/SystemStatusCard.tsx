import { Badge, Card, Divider, Group, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCheck, IconServer2, IconX } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { Health, Readiness } from '@thestorage/contracts';
import type { ReactNode } from 'react';
import { healthQuery, readinessQuery } from '../../api/system';
import { QueryState } from '../../components/QueryState';
import {
  certificateColor,
  certificateSourceLabel,
  certificateSummary,
  formatDate,
  formatLatency,
  formatUptime,
  modeLabel,
} from './systemStatus';

function StatusRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group justify="space-between" gap="md" wrap="nowrap" mih={28}>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Group gap={6} wrap="nowrap" justify="flex-end">
        {children}
      </Group>
    </Group>
  );
}

function SectionTitle({ children }: { children: ReactNode }) {
  return (
    <Text size="xs" fw={600} tt="uppercase" c="dimmed" mb={4}>
      {children}
    </Text>
  );
}

function ServiceDetails({ health }: { health: Health }) {
  const expires = formatDate(health.tls.notAfter);
  return (
    <Stack gap={4}>
      <StatusRow label="Mode">
        <Badge variant="light" color={health.mode === 'production' ? 'blue' : 'grape'}>
          {modeLabel[health.mode]}
        </Badge>
      </StatusRow>
      <StatusRow label="Version">
        <Text size="sm" ff="monospace">
          {health.version}
        </Text>
      </StatusRow>
      <StatusRow label="Uptime">
        <Text size="sm">{formatUptime(health.uptimeSeconds)}</Text>
      </StatusRow>
      <StatusRow label="TLS certificate">
        <Badge variant="light" color={certificateColor(health.tls.daysLeft)} data-testid="certificate-days">
          {certificateSummary(health.tls)}
        </Badge>
      </StatusRow>
      <Text size="xs" c="dimmed" ta="right">
        {certificateSourceLabel[health.tls.source]}
        {expires && ` · expires ${expires}`}
      </Text>
    </Stack>
  );
}

function CheckRow({ label, check }: { label: string; check: Readiness['checks']['database'] }) {
  return (
    <StatusRow label={label}>
      <ThemeIcon size={20} radius="xl" variant="light" color={check.ok ? 'teal' : 'red'} aria-hidden>
        {check.ok ? <IconCheck size={13} stroke={2.2} /> : <IconX size={13} stroke={2.2} />}
      </ThemeIcon>
      <Text size="sm">{check.ok ? `Ready · ${formatLatency(check.latencyMs)}` : 'Unavailable'}</Text>
    </StatusRow>
  );
}

function ReadinessDetails({ readiness }: { readiness: Readiness }) {
  const failures = Object.values(readiness.checks).flatMap((check) => (check.error ? [check.error] : []));
  return (
    <Stack gap={4}>
      <CheckRow label="Database" check={readiness.checks.database} />
      <CheckRow label="Cache" check={readiness.checks.cache} />
      {failures.map((failure) => (
        <Text key={failure} size="xs" c="red">
          {failure}
        </Text>
      ))}
    </Stack>
  );
}

function OverallBadge({ health, readiness }: { health?: Health; readiness?: Readiness }) {
  if (!health || !readiness) return null;
  const attention = readiness.status !== 'ready' || health.tls.expiresSoon;
  return (
    <Badge size="lg" variant="dot" color={attention ? 'orange' : 'teal'}>
      {attention ? 'Needs attention' : 'All systems operational'}
    </Badge>
  );
}

/** Health and readiness of the server the administrator is talking to, from /health and /ready. */
export function SystemStatusCard() {
  const health = useQuery(healthQuery);
  const readiness = useQuery(readinessQuery);

  return (
    <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby="system-status-title">
      <Group justify="space-between" mb="md" gap="sm">
        <Group gap="sm" wrap="nowrap">
          <ThemeIcon size={34} radius="md" variant="light" aria-hidden>
            <IconServer2 size={20} stroke={1.6} />
          </ThemeIcon>
          <Title order={2} fz="lg" id="system-status-title">
            System status
          </Title>
        </Group>
        <OverallBadge health={health.data} readiness={readiness.data} />
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl">
        <div>
          <SectionTitle>Service</SectionTitle>
          <Divider mb="xs" />
          <QueryState query={health} label="service health">
            {(data) => <ServiceDetails health={data} />}
          </QueryState>
        </div>
        <div>
          <SectionTitle>Readiness</SectionTitle>
          <Divider mb="xs" />
          <QueryState query={readiness} label="readiness">
            {(data) => <ReadinessDetails readiness={data} />}
          </QueryState>
        </div>
      </SimpleGrid>
    </Card>
  );
}
