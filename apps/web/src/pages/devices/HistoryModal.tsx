import { Blockquote, Button, Group, List, Modal, Stack, Text, ThemeIcon, Timeline } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { Device, DeviceHistoryEvent } from '@thestorage/contracts';
import { categoriesQuery } from '../../api/catalog';
import { deviceHistoryQuery } from '../../api/devices';
import { EmployeeName } from '../../components/EmployeeName';
import { QueryState } from '../../components/QueryState';
import { deviceTitle, formatMoment } from './deviceFormat';
import { changeValueText, EVENT_STYLE, fieldLabel } from './historyLabels';

/** Attribute names by id, so "Attributes" changes read as `Screen: 16`. */
function useAttributeNames(): ReadonlyMap<string, string> {
  const categories = useQuery(categoriesQuery);
  const names = new Map<string, string>();
  for (const category of categories.data?.categories ?? []) {
    for (const attribute of category.attributes) names.set(attribute.id, attribute.name);
  }
  return names;
}

function Changes({
  event,
  attributeNames,
}: {
  event: DeviceHistoryEvent;
  attributeNames: ReadonlyMap<string, string>;
}) {
  const changes = event.changes.filter((change) => change.field !== 'comment');
  if (changes.length === 0) return null;
  const initial = event.type === 'created' || event.type === 'imported';
  return (
    <List size="sm" spacing={2} listStyleType="none" aria-label="Changes">
      {changes.map((change) => (
        <List.Item key={change.field}>
          <Text span size="sm" fw={500}>
            {fieldLabel(change.field)}:
          </Text>{' '}
          {initial ? (
            <Text span size="sm">
              {changeValueText(change.field, change.after, attributeNames)}
            </Text>
          ) : (
            <Text span size="sm">
              <Text span c="dimmed" inherit>
                {changeValueText(change.field, change.before, attributeNames)}
              </Text>{' '}
              →{' '}
              <Text span inherit>
                {changeValueText(change.field, change.after, attributeNames)}
              </Text>
            </Text>
          )}
        </List.Item>
      ))}
    </List>
  );
}

function EventBody({
  event,
  attributeNames,
}: {
  event: DeviceHistoryEvent;
  attributeNames: ReadonlyMap<string, string>;
}) {
  const comment = event.changes.find((change) => change.field === 'comment')?.after;
  return (
    <Stack gap={4} data-event={event.type}>
      <Text size="xs" c="dimmed">
        {formatMoment(event.occurredAt)} · {event.actor.name || event.actor.email}
      </Text>
      {event.type === 'assigned_to_employee' && event.employee && (
        <Group gap={6}>
          <Text size="sm">To</Text>
          <EmployeeName employee={event.employee} />
        </Group>
      )}
      {typeof comment === 'string' && (
        <Blockquote p="xs" fz="sm" color="gray">
          {comment}
        </Blockquote>
      )}
      <Changes event={event} attributeNames={attributeNames} />
    </Stack>
  );
}

export function HistoryTimeline({ events }: { events: readonly DeviceHistoryEvent[] }) {
  const attributeNames = useAttributeNames();
  if (events.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        Nothing has happened to this device yet.
      </Text>
    );
  }
  return (
    <Timeline bulletSize={28} lineWidth={2} aria-label="Events, newest first">
      {events.map((event) => {
        const style = EVENT_STYLE[event.type];
        const Icon = style.icon;
        return (
          <Timeline.Item
            key={event.id}
            color={style.color}
            bullet={
              <ThemeIcon size={28} radius="xl" color={style.color} aria-hidden>
                <Icon size={16} stroke={1.8} />
              </ThemeIcon>
            }
            title={style.label}
          >
            <EventBody event={event} attributeNames={attributeNames} />
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}

/** DEV-5: the device's immutable history, newest first, older events a page at a time. */
export function HistoryModal({
  device,
  opened,
  onClose,
}: {
  device: Device;
  opened: boolean;
  onClose(): void;
}) {
  const phone = useMediaQuery('(max-width: 48em)');
  const history = useInfiniteQuery({ ...deviceHistoryQuery(device.id), enabled: opened });
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={`History of ${deviceTitle(device)}`}
      size="lg"
      fullScreen={phone}
    >
      <QueryState query={history} label="the history">
        {(data) => (
          <Stack gap="md">
            <HistoryTimeline events={data.pages.flatMap((page) => page.events)} />
            {history.hasNextPage && (
              <Group justify="center">
                <Button
                  variant="default"
                  size="xs"
                  loading={history.isFetchingNextPage}
                  onClick={() => void history.fetchNextPage()}
                >
                  Load older events
                </Button>
              </Group>
            )}
          </Stack>
        )}
      </QueryState>
    </Modal>
  );
}
