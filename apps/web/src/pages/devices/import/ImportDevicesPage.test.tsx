import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { importContentTypeOf } from '../../../api/imports';
import { meAs } from '../../../test-support/people';
import { renderApp } from '../../../test-support/render';
import { CSRF, devicesServer } from '../testDevices';
import {
  deviceImport,
  IMPORT_ID,
  importServer,
  MAPPING_PROBLEMS,
  UPLOADED_COLUMNS,
} from './importTestServer';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const CSV = 'Device name,Serial no,Category,Warranty,Owner\nThinkPad T14,PF-1001,Laptop,2031-05-31,IT\n';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function pickFile(file: File) {
  const input = screen.getByLabelText('Import file') as HTMLInputElement;
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  fireEvent.change(input);
}

const fieldSelect = (header: string) =>
  screen.getByLabelText(`Field for column ${header}`) as HTMLSelectElement;
const importButton = () =>
  screen.getByRole('button', { name: /^Import (\d+ )?devices?$/ }) as HTMLButtonElement;

/** Opens the page on an uploaded import that was not checked yet. */
async function openUploaded(options: Parameters<typeof importServer>[0] = {}) {
  const server = importServer({ existing: deviceImport(), ...options });
  vi.stubGlobal('fetch', server.fetchImpl);
  const view = renderApp(`/devices/import?id=${IMPORT_ID}`);
  await screen.findByRole('table', { name: 'Columns' });
  return { server, ...view };
}

describe('importing devices', () => {
  it('DEV-12: the Devices toolbar offers Import to Administrators and Operators, not to Viewers', async () => {
    vi.stubGlobal('fetch', devicesServer({ me: meAs('operator', { csrfToken: CSRF }) }).fetchImpl);
    const { router } = renderApp('/devices');
    const link = await screen.findByRole('link', { name: 'Import' });
    expect(link.getAttribute('href')).toBe('/devices/import');
    fireEvent.click(link);
    await screen.findByRole('heading', { level: 1, name: 'Import devices' });
    expect(router.state.location.pathname).toBe('/devices/import');
    expect(screen.getByRole('link', { name: 'Template (CSV)' }).getAttribute('href')).toBe(
      '/api/v1/device-imports/template?format=csv',
    );
    expect(screen.getByRole('link', { name: 'Template (XLSX)' }).getAttribute('href')).toBe(
      '/api/v1/device-imports/template?format=xlsx',
    );
    expect(screen.getByText(/Rows with a known serial number update that device/)).toBeTruthy();
    expect(screen.getByText(/Nothing changes unless every row is right/)).toBeTruthy();

    cleanup();
    vi.stubGlobal('fetch', devicesServer({ me: meAs('viewer', { csrfToken: CSRF }) }).fetchImpl);
    renderApp('/devices');
    await screen.findByRole('button', { name: 'Export' });
    expect(screen.queryByRole('link', { name: 'Import' })).toBeNull();
    cleanup();
    renderApp('/devices/import');
    await screen.findByRole('heading', { name: 'You are not allowed to open this page' });
    expect(screen.queryByLabelText('Import file')).toBeNull();
  });

  it('DEV-12: a picked file is uploaded as it is, with its type and the CSRF header, and its columns show with the automatic mapping preselected', async () => {
    const server = importServer();
    vi.stubGlobal('fetch', server.fetchImpl);
    const { router } = renderApp('/devices/import');
    await screen.findByRole('heading', { level: 1, name: 'Import devices' });
    pickFile(new File([CSV], 'devices.csv', { type: 'text/csv' }));

    await screen.findByRole('table', { name: 'Columns' });
    expect(server.uploads).toEqual([
      {
        path: '/api/v1/device-imports?fileName=devices.csv',
        contentType: 'text/csv',
        csrf: CSRF,
        text: CSV,
      },
    ]);
    await waitFor(() => expect(router.state.location.search).toEqual({ id: IMPORT_ID }));
    expect(screen.getByTestId('import-file-name').textContent).toBe('devices.csv');
    for (const column of UPLOADED_COLUMNS) expect(fieldSelect(column.header).value).toBe(column.field);
    const row = screen.getByText('Owner').closest('tr') as HTMLElement;
    expect(within(row).getByText('lena.fischer@demo.thestorage.dev')).toBeTruthy();
    expect(within(row).getByRole('option', { selected: true }).textContent).toBe(
      'Assigned to (employee e-mail or user name, place, or IT)',
    );
  });

  it('DEV-12: a file without a type is sent with the type of its extension; other files are refused before any upload', async () => {
    expect(importContentTypeOf({ name: 'fleet.XLSX', type: '' })).toBe(XLSX_TYPE);
    expect(importContentTypeOf({ name: 'fleet.csv', type: 'application/vnd.ms-excel' })).toBe('text/csv');
    expect(importContentTypeOf({ name: 'fleet.pdf', type: 'application/pdf' })).toBeNull();

    const server = importServer();
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/devices/import');
    await screen.findByRole('heading', { level: 1, name: 'Import devices' });
    pickFile(new File(['%PDF'], 'fleet.pdf', { type: 'application/pdf' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Choose a CSV or XLSX file.');
    expect(server.uploads).toHaveLength(0);

    pickFile(new File(['PK'], 'fleet.xlsx', { type: '' }));
    await screen.findByRole('table', { name: 'Columns' });
    expect(server.uploads.map((upload) => [upload.path, upload.contentType])).toEqual([
      ['/api/v1/device-imports?fileName=fleet.xlsx', XLSX_TYPE],
    ]);
  });

  it('DEV-12: the check lists every problem with its row and column; a changed mapping is saved and checked again', async () => {
    const { server } = await openUploaded();
    fireEvent.click(screen.getByRole('button', { name: 'Check file' }));

    const problems = await screen.findByRole('table', { name: 'Problems' });
    expect(screen.getByTestId('import-problem-count').textContent).toBe('2 problems');
    const rows = within(problems)
      .getAllByRole('row')
      .slice(1)
      .map((row) =>
        within(row)
          .getAllByRole('cell')
          .map((cell) => cell.textContent),
      );
    expect(rows).toEqual(MAPPING_PROBLEMS.map((p) => [String(p.row), p.column ?? '—', p.message]));
    // The mapping as it was went to the server before the check.
    const firstPut = server.requests.find((r) => r.method === 'PUT')!;
    expect(firstPut.path).toBe(`/api/v1/device-imports/${IMPORT_ID}/mapping`);
    expect(firstPut.headers.get('x-csrf-token')).toBe(CSRF);
    expect(firstPut.body).toEqual({
      version: 1,
      columns: UPLOADED_COLUMNS.map(({ index, field }) => ({ index, field })),
    });

    fireEvent.change(fieldSelect('Serial no'), { target: { value: 'serial' } });
    expect(screen.getByText(/You changed the mapping since this check/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Check file' }));

    await screen.findByText('No problems found: the file is ready to import.');
    expect(screen.queryByRole('table', { name: 'Problems' })).toBeNull();
    const puts = server.requests.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(2);
    expect(puts[1]!.body).toEqual({
      version: 3,
      columns: UPLOADED_COLUMNS.map(({ index, field }) => ({ index, field: index === 1 ? 'serial' : field })),
    });
    const checks = server.requests.filter((r) => r.path.endsWith('/check'));
    expect(checks.map((r) => r.body)).toEqual([{ version: 2 }, { version: 4 }]);
    const result = screen.getByRole('group', { name: 'Check result' });
    const figure = (label: string) =>
      within(result).getByText(label).closest('[data-figure]')?.textContent?.replace(label, '');
    expect([figure('Rows'), figure('To create'), figure('To update'), figure('Unchanged')]).toEqual([
      '3',
      '2',
      '1',
      '0',
    ]);
    expect(within(result).getByText('Docking station')).toBeTruthy();
    expect(within(result).getByText('Fujitsu')).toBeTruthy();
  });

  it('DEV-12: more problems than listed say how many there are and that the first ones are shown', async () => {
    await openUploaded({ problemCount: 1_500 });
    fireEvent.click(screen.getByRole('button', { name: 'Check file' }));
    await screen.findByRole('table', { name: 'Problems' });
    expect(screen.getByTestId('import-problem-count').textContent).toBe('1,500 problems');
    expect(screen.getByText(/Showing the first 2\./)).toBeTruthy();
  });

  it('DEV-12: Import stays disabled until the file is checked without problems, and again after the mapping changes', async () => {
    const { server } = await openUploaded();
    expect(importButton().disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Check file' }));
    await screen.findByRole('table', { name: 'Problems' });
    expect(importButton().disabled).toBe(true);

    fireEvent.change(fieldSelect('Serial no'), { target: { value: 'serial' } });
    fireEvent.click(screen.getByRole('button', { name: 'Check file' }));
    await screen.findByText('No problems found: the file is ready to import.');
    expect(importButton().textContent).toBe('Import 3 devices');
    expect(importButton().disabled).toBe(false);

    fireEvent.change(fieldSelect('Owner'), { target: { value: 'ignore' } });
    expect(importButton().disabled).toBe(true);
    expect(importButton().textContent).toBe('Import devices');
    expect(server.requests.filter((r) => r.path.endsWith('/run'))).toHaveLength(0);
  });

  it('DEV-12: the run shows its progress, then what it did and a link to the device list', async () => {
    const { server, router } = await openUploaded({
      existing: deviceImport({
        status: 'checked',
        version: 4,
        columns: UPLOADED_COLUMNS.map((c) => (c.index === 1 ? { ...c, field: 'serial' } : c)),
        summary: {
          rows: 3,
          create: 2,
          update: 1,
          unchanged: 0,
          newCategories: [],
          newTags: [],
          newVendors: [],
        },
      }),
    });
    fireEvent.click(importButton());

    const progress = await screen.findByRole('progressbar', { name: 'Import progress' });
    expect(progress.getAttribute('aria-valuenow')).toBe('33');
    expect(screen.getByTestId('import-progress-message').textContent).toBe(
      'Importing row 2 of 4 · 1 of 3 rows',
    );
    const run = server.requests.find((r) => r.path.endsWith('/run'))!;
    expect(run.body).toEqual({ version: 4 });
    expect(run.headers.get('x-csrf-token')).toBe(CSRF);

    const done = await screen.findByText(
      /Import finished: 2 created, 1 updated, 0 unchanged\./,
      {},
      { timeout: 3000 },
    );
    expect(done).toBeTruthy();
    expect(server.jobPolls()).toBe(2);
    expect(screen.getByRole('group', { name: 'Import result' })).toBeTruthy();
    // The mapping of a finished import is a record: nothing to change or check any more.
    expect(fieldSelect('Owner').disabled).toBe(true);
    expect(screen.queryByRole('button', { name: 'Check file' })).toBeNull();

    const link = screen.getByRole('link', { name: 'Show the devices' });
    expect(link.getAttribute('href')).toBe('/devices?sort=modified&order=desc');
    fireEvent.click(link);
    await screen.findByRole('heading', { level: 1, name: 'Devices' });
    expect(router.state.location.pathname).toBe('/devices');
  });

  it('DEV-12: a failed run says nothing was changed and lists its problems', async () => {
    await openUploaded({
      existing: deviceImport({ status: 'checked', version: 4, summary: null }),
      runFails: [
        {
          row: 3,
          column: 'Serial no',
          code: 'serial_taken',
          message: 'Another device took serial number PF-1002 meanwhile.',
        },
      ],
    });
    fireEvent.click(importButton());
    const alert = await screen.findByRole('alert', {}, { timeout: 3000 });
    expect(alert.textContent).toContain('The import failed');
    expect(alert.textContent).toContain('Nothing was changed');
    const problems = await screen.findByRole('table', { name: 'Problems' });
    expect(within(problems).getByText('Another device took serial number PF-1002 meanwhile.')).toBeTruthy();
    expect(within(problems).getByText('Serial no')).toBeTruthy();
  });

  it('DEV-6: a check based on an old version says "Modified by someone else" and Reload shows the current import', async () => {
    const { server } = await openUploaded();
    // Someone else saved the mapping in another tab.
    server.current()!.version = 7;
    fireEvent.click(screen.getByRole('button', { name: 'Check file' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Modified by someone else');
    fireEvent.click(within(alert).getByRole('button', { name: 'Reload' }));
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    fireEvent.click(screen.getByRole('button', { name: 'Check file' }));
    await screen.findByRole('table', { name: 'Problems' });
    expect(server.requests.filter((r) => r.method === 'PUT').map((r) => r.body)).toEqual([
      expect.objectContaining({ version: 1 }),
      expect.objectContaining({ version: 7 }),
    ]);
  });

  it('DEV-12: Recent imports list file, who, when, status and outcome, and open an import again', async () => {
    const server = importServer({
      others: [
        deviceImport({
          id: '0193c000-0000-7000-8000-000000000002',
          fileName: 'assignments-march.xlsx',
          format: 'xlsx',
          status: 'completed',
          createdBy: 'Otto Operator',
          summary: {
            rows: 40,
            create: 0,
            update: 38,
            unchanged: 2,
            newCategories: [],
            newTags: [],
            newVendors: [],
          },
        }),
        deviceImport({
          id: '0193c000-0000-7000-8000-000000000003',
          fileName: 'broken.csv',
          problemCount: 12,
        }),
      ],
    });
    vi.stubGlobal('fetch', server.fetchImpl);
    const { router } = renderApp('/devices/import');
    const table = await screen.findByRole('table', { name: 'Recent imports' });
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) =>
        within(row)
          .getAllByRole('cell')
          .map((cell) => cell.textContent),
      );
    expect(rows).toEqual([
      [
        'assignments-march.xlsx',
        'Otto Operator',
        expect.stringMatching(/2030/),
        'Completed',
        '0 created, 38 updated, 2 unchanged',
      ],
      ['broken.csv', 'Ada Admin', expect.stringMatching(/2030/), 'Not checked', '12 problems'],
    ]);
    fireEvent.click(within(table).getByRole('link', { name: 'broken.csv' }));
    await waitFor(() =>
      expect(router.state.location.search).toEqual({ id: '0193c000-0000-7000-8000-000000000003' }),
    );
  });
});
