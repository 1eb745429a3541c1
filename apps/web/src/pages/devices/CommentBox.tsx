import { Alert, Button, Card, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconMessagePlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Device } from '@thestorage/contracts';
import { type FormEvent, useState } from 'react';
import { fieldErrorsOf, safeErrorMessage } from '../../api/client';
import { DEVICES_KEY, type DeviceComment, deviceCommentsQuery, deviceWrites } from '../../api/devices';
import { useApiWrite } from '../../api/session';
import { QueryState } from '../../components/QueryState';
import { formatMoment } from './deviceFormat';

/** The newest comments show at once; the rest (the server sends up to 100) behind "Show all". */
const COMMENTS_SHOWN = 3;
const MAX_COMMENT = 2_000;

function CommentList({ comments }: { comments: readonly DeviceComment[] }) {
  const [showAll, setShowAll] = useState(false);
  if (comments.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No comments yet.
      </Text>
    );
  }
  const shown = showAll ? comments : comments.slice(0, COMMENTS_SHOWN);
  return (
    <Stack gap="xs">
      <Stack
        gap="xs"
        component="ul"
        p={0}
        m={0}
        aria-label="Comments, newest first"
        style={{ listStyle: 'none' }}
      >
        {shown.map((comment) => (
          <li key={comment.id}>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {comment.body}
            </Text>
            <Text size="xs" c="dimmed">
              {comment.authorEmail} · {formatMoment(comment.createdAt)}
            </Text>
          </li>
        ))}
      </Stack>
      {comments.length > COMMENTS_SHOWN && (
        <Group>
          <Button size="xs" variant="subtle" px={0} onClick={() => setShowAll(!showAll)}>
            {showAll ? 'Show fewer' : `Show all ${comments.length} comments`}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

/** DEV-1/DEV-5: the device's comments, newest first, and a new one; each also shows in the history. */
export function CommentBox({ device, mayEdit }: { device: Device; mayEdit: boolean }) {
  const api = useApiWrite();
  const queryClient = useQueryClient();
  const [body, setBody] = useState('');
  const [added, setAdded] = useState(false);

  const comments = useQuery(deviceCommentsQuery(device.id));
  const comment = useMutation({
    mutationFn: (text: string) => deviceWrites(api).comment(device.id, text),
    onSuccess: async () => {
      setBody('');
      setAdded(true);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: deviceCommentsQuery(device.id).queryKey }),
        queryClient.invalidateQueries({ queryKey: [...DEVICES_KEY, 'history', device.id] }),
      ]);
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
        <QueryState query={comments} label="the comments">
          {(data) => <CommentList comments={data.comments} />}
        </QueryState>
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
