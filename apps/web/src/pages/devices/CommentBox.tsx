import { Alert, Button, Card, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconMessagePlus } from '@tabler/icons-react';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import type { Device } from '@thestorage/contracts';
import { type FormEvent, useState } from 'react';
import { fieldErrorsOf, safeErrorMessage } from '../../api/client';
import { DEVICES_KEY, deviceHistoryQuery, deviceWrites } from '../../api/devices';
import { useApiWrite } from '../../api/session';
import { formatMoment } from './deviceFormat';

const COMMENTS_SHOWN = 3;
const MAX_COMMENT = 2_000;

/** The latest comments, as the history records them (the API has no list of comments of its own). */
function RecentComments({ deviceId }: { deviceId: string }) {
  const history = useInfiniteQuery(deviceHistoryQuery(deviceId));
  const comments = (history.data?.pages[0]?.events ?? [])
    .filter((event) => event.type === 'comment_added')
    .slice(0, COMMENTS_SHOWN);
  if (comments.length === 0) return null;
  return (
    <Stack gap="xs" component="ul" p={0} m={0} aria-label="Latest comments" style={{ listStyle: 'none' }}>
      {comments.map((event) => (
        <li key={event.id}>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {String(event.changes.find((c) => c.field === 'comment')?.after ?? '')}
          </Text>
          <Text size="xs" c="dimmed">
            {event.actor.name || event.actor.email} · {formatMoment(event.occurredAt)}
          </Text>
        </li>
      ))}
    </Stack>
  );
}

/** DEV-1/DEV-5: a comment on the device; it is kept with the device and shows in its history. */
export function CommentBox({ device, mayEdit }: { device: Device; mayEdit: boolean }) {
  const api = useApiWrite();
  const queryClient = useQueryClient();
  const [body, setBody] = useState('');
  const [added, setAdded] = useState(false);

  const comment = useMutation({
    mutationFn: (text: string) => deviceWrites(api).comment(device.id, text),
    onSuccess: async () => {
      setBody('');
      setAdded(true);
      await queryClient.invalidateQueries({ queryKey: [...DEVICES_KEY, 'history', device.id] });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (body.trim() === '') return;
    setAdded(false);
    comment.mutate(body.trim());
  };

  const fieldError = comment.isError ? fieldErrorsOf(comment.error).body : undefined;
  return (
    <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby="device-comments">
      <Stack gap="sm">
        <Title order={2} fz="md" id="device-comments">
          Comments
        </Title>
        <RecentComments deviceId={device.id} />
        {mayEdit && (
          <form onSubmit={submit}>
            <Stack gap="xs">
              <Textarea
                label="Add a comment"
                rows={3}
                resize="vertical"
                maxLength={MAX_COMMENT}
                value={body}
                error={fieldError}
                onChange={(event) => {
                  setBody(event.currentTarget.value);
                  setAdded(false);
                }}
              />
              {comment.isError && !fieldError && (
                <Alert
                  color="red"
                  variant="light"
                  role="alert"
                  icon={<IconAlertTriangle size={18} aria-hidden />}
                >
                  {safeErrorMessage(comment.error)}
                </Alert>
              )}
              <Group justify="space-between">
                {added ? (
                  <Group gap={4} role="status">
                    <IconCheck size={14} color="var(--mantine-color-teal-6)" aria-hidden />
                    <Text size="xs" c="teal">
                      Comment added
                    </Text>
                  </Group>
                ) : (
                  <span />
                )}
                <Button
                  type="submit"
                  size="sm"
                  variant="light"
                  leftSection={<IconMessagePlus size={16} aria-hidden />}
                  loading={comment.isPending}
                  disabled={body.trim() === ''}
                >
                  Add comment
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Card>
  );
}
