import { Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { directoryConnectionQuery } from '../../../api/directory';
import { QueryState } from '../../../components/QueryState';
import { ConnectDirectoryForm } from './ConnectDirectoryForm';
import { ConnectionStatusCard } from './ConnectionStatusCard';

/** Settings → Directory (Administrators): connect Entra ID or Google Workspace, sync, disconnect. */
export function DirectorySettingsPage() {
  const connection = useQuery(directoryConnectionQuery);
  return (
    <QueryState query={connection} label="the directory connection">
      {(data) => (
        <Stack gap="lg" maw={900}>
          <Text size="sm" c="dimmed" maw={640}>
            Employees come from your organization's directory. Their names, e-mails and job titles are kept
            only in a cache for 14 days after the last successful sync, never in the inventory itself.
          </Text>
          {data && <ConnectionStatusCard connection={data} />}
          <ConnectDirectoryForm connection={data} />
        </Stack>
      )}
    </QueryState>
  );
}
