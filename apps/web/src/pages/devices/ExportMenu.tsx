import { Button, Menu } from '@mantine/core';
import { IconChevronDown, IconFileSpreadsheet, IconFileTypeCsv } from '@tabler/icons-react';
import { type DeviceListParams, deviceExportPath } from '../../api/devices';

/**
 * DEV-13: the list as it is filtered and sorted now, as CSV or XLSX. A plain download link: the browser
 * sends the session cookie and saves the streamed file itself, however many devices it holds.
 */
export function ExportMenu({ params }: { params: Omit<DeviceListParams, 'limit' | 'cursor'> }) {
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="default" rightSection={<IconChevronDown size={14} aria-hidden />}>
          Export
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>This list, every page</Menu.Label>
        <Menu.Item
          component="a"
          href={deviceExportPath(params, 'csv')}
          download
          leftSection={<IconFileTypeCsv size={16} aria-hidden />}
        >
          CSV
        </Menu.Item>
        <Menu.Item
          component="a"
          href={deviceExportPath(params, 'xlsx')}
          download
          leftSection={<IconFileSpreadsheet size={16} aria-hidden />}
        >
          Excel (XLSX)
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
