import { Anchor, Group, Stack } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { getRouteApi, Link } from '@tanstack/react-router';
import { mayChangeInventory } from '../../../auth/access';
import { useSignedIn } from '../../../auth/signedIn';
import { PageHeader } from '../../../components/PageHeader';
import { NotAllowedPage } from '../../NotAllowedPage';
import { ImportSession } from './ImportSession';
import { ImportUploadStep } from './ImportUploadStep';
import type { ImportSearch } from './importSearch';
import { RecentImports } from './RecentImports';

const route = getRouteApi('/signed-in/devices/import');

/**
 * DEV-12: devices from a CSV or XLSX file: upload, map the columns, check (a dry run listing every problem),
 * then run all or nothing in the background. The import being worked on is in the address.
 */
export function ImportDevicesPage() {
  const me = useSignedIn();
  const search: ImportSearch = route.useSearch();
  const navigate = route.useNavigate();
  if (!mayChangeInventory(me, 'inventory.write')) return <NotAllowedPage />;

  const open = (id: string | undefined) => void navigate({ search: { id } });

  return (
    <>
      <Group mb="xs">
        <Anchor component={Link} to="/devices" size="sm">
          <Group gap={4} component="span">
            <IconArrowLeft size={14} aria-hidden />
            Devices
          </Group>
        </Anchor>
      </Group>
      <PageHeader
        title="Import devices"
        description="Add or update many devices at once from a CSV or XLSX file. Nothing changes until every row is right."
      />
      <Stack gap="lg">
        {search.id ? (
          <ImportSession key={search.id} id={search.id} onStartOver={() => open(undefined)} />
        ) : (
          <ImportUploadStep onUploaded={(deviceImport) => open(deviceImport.id)} />
        )}
        <RecentImports />
      </Stack>
    </>
  );
}
