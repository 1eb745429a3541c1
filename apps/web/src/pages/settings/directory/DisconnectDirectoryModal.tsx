import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  DIRECTORY_CONNECTION_PATH,
  directoryConnectionQuery,
  employeesSummaryQuery,
} from '../../../api/directory';
import { useApiWrite } from '../../../api/session';
import { DirectoryErrorAlert } from './DirectoryErrorAlert';

interface DisconnectDirectoryModalProps {
  opened: boolean;
  onClose(): void;
}

/** Disconnect asks first and says what happens to the names (SEC-5): they expire, assignments stay. */
export function DisconnectDirectoryModal({ opened, onClose }: DisconnectDirectoryModalProps) {
  const api = useApiWrite();
  const queryClient = useQueryClient();
  const disconnect = useMutation({
    mutationFn: () => api.remove(DIRECTORY_CONNECTION_PATH),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: directoryConnectionQuery.queryKey }),
        queryClient.invalidateQueries({ queryKey: employeesSummaryQuery.queryKey }),
      ]);
      close();
    },
  });
  const close = () => {
    disconnect.reset();
    onClose();
  };

  return (
    <Modal opened={opened} onClose={close} title="Disconnect the directory">
      <Stack gap="md">
        <Text size="sm">
          Syncs stop and the stored credential is deleted. Assignments are kept; names disappear 14 days after
          the last successful sync, and show as “Unknown employee” from then on.
        </Text>
        <Text size="sm" c="dimmed">
          Connecting the same directory again brings the names back.
        </Text>
        {disconnect.isError && <DirectoryErrorAlert error={disconnect.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={close} data-autofocus>
            Cancel
          </Button>
          <Button color="red" loading={disconnect.isPending} onClick={() => disconnect.mutate()}>
            Disconnect
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
