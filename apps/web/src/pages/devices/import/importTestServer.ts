import {
  type DeviceImport,
  ErrorCode,
  type ImportColumn,
  type ImportField,
  type ImportProblem,
  type ImportSummary,
  type Job,
  type Me,
} from '@thestorage/contracts';
import { jsonFetch, problemAnswer, type RecordedRequest } from '../../../test-support/render';
import { devicesServer } from '../testDevices';

/** Test data for the import page: a small in-memory device-imports API behind the page's fetch. */

export const IMPORT_ID = '0193c000-0000-7000-8000-000000000001';
export const JOB_ID = '0193c000-0000-7000-8000-00000000j0b1';

/** The columns of the uploaded file as the server matched them: "Serial no" was not recognised. */
export const UPLOADED_COLUMNS: ImportColumn[] = [
  { index: 0, header: 'Device name', field: 'name', sample: 'ThinkPad T14' },
  { index: 1, header: 'Serial no', field: 'ignore', sample: 'PF-1001' },
  { index: 2, header: 'Category', field: 'category', sample: 'Laptop' },
  { index: 3, header: 'Warranty', field: 'warrantyEnd', sample: '2031-05-31' },
  { index: 4, header: 'Owner', field: 'assigned', sample: 'lena.fischer@demo.thestorage.dev' },
];

const CHECKED_SUMMARY: ImportSummary = {
  rows: 3,
  create: 2,
  update: 1,
  unchanged: 0,
  newCategories: ['Docking station'],
  newTags: [],
  newVendors: ['Fujitsu'],
};

const DONE_SUMMARY: ImportSummary = { ...CHECKED_SUMMARY };

/** What the check finds while no column is read as the serial number: every row, and a bad date in row 3. */
export const MAPPING_PROBLEMS: ImportProblem[] = [
  { row: 2, column: null, code: 'serial_missing', message: 'No column is imported as the serial number.' },
  {
    row: 3,
    column: 'Warranty',
    code: 'invalid_date',
    message: 'Warranty end "31.02.2031" is not a date like 2031-02-28.',
  },
];

export function deviceImport(overrides: Partial<DeviceImport> = {}): DeviceImport {
  return {
    id: IMPORT_ID,
    fileName: 'devices.csv',
    format: 'csv',
    size: 812,
    status: 'uploaded',
    columns: UPLOADED_COLUMNS,
    problems: [],
    problemCount: 0,
    warnings: [],
    summary: null,
    jobId: null,
    createdBy: 'Ada Admin',
    createdAt: '2030-01-15T10:00:00.000Z',
    updatedAt: '2030-01-15T10:00:00.000Z',
    finishedAt: null,
    version: 1,
    ...overrides,
  };
}

export function job(status: Job['status'], done: number, total: number | null, message: string | null): Job {
  return {
    id: JOB_ID,
    kind: 'devices.import',
    status,
    progress: { done, total, message },
    attempts: 1,
    maxAttempts: 1,
    lastError: status === 'failed' ? 'The import failed.' : null,
    createdAt: '2030-01-15T10:01:00.000Z',
    updatedAt: '2030-01-15T10:01:01.000Z',
    finishedAt: status === 'succeeded' || status === 'failed' ? '2030-01-15T10:01:02.000Z' : null,
  };
}

export interface ImportServerOptions {
  me?: Me;
  /** The import as it stands before the test (none: the first upload creates it). */
  existing?: DeviceImport;
  /** Other imports of the tenant, listed after the one of the test. */
  others?: DeviceImport[];
  /** The run ends like this: `failed` lists these problems. */
  runFails?: ImportProblem[];
  /** The check finds this many problems in all, listing only those of MAPPING_PROBLEMS. */
  problemCount?: number;
}

export interface UploadedFile {
  path: string;
  contentType: string | null;
  csrf: string | null;
  text: string;
}

const hasSerial = (columns: readonly { field: ImportField }[]) => columns.some((c) => c.field === 'serial');

/** The import API the page talks to, kept in memory; other routes go to the devices API. */
export function importServer(options: ImportServerOptions = {}) {
  const devices = devicesServer(options.me ? { me: options.me } : {});
  let current: DeviceImport | null = options.existing ?? null;
  const uploads: UploadedFile[] = [];
  let polls = 0;

  const save = (next: Partial<DeviceImport>) => {
    if (!current) throw new Error('No import yet');
    current = { ...current, ...next, version: current.version + 1, updatedAt: new Date().toISOString() };
    return { body: current };
  };
  const stale = () =>
    problemAnswer(409, 'modified_by_someone_else', 'Modified by someone else: reload to see their changes');
  const versionOf = (request: RecordedRequest) => (request.body as { version: number }).version;
  const path = `/api/v1/device-imports/${IMPORT_ID}`;

  const api = jsonFetch({
    'GET /api/v1/device-imports': () => ({
      body: { imports: [...(current ? [current] : []), ...(options.others ?? [])] },
    }),
    [`GET ${path}`]: () =>
      current ? { body: current } : problemAnswer(404, 'not_found', 'Import not found.'),
    [`PUT ${path}/mapping`]: (request) => {
      if (!current) return problemAnswer(404, 'not_found', 'Import not found.');
      if (versionOf(request) !== current.version) return stale();
      const { columns } = request.body as { columns: { index: number; field: ImportField }[] };
      const mapped = current.columns.map((column) => ({
        ...column,
        field: columns.find((c) => c.index === column.index)?.field ?? column.field,
      }));
      return save({ columns: mapped, status: 'uploaded', problems: [], problemCount: 0, summary: null });
    },
    [`POST ${path}/check`]: (request) => {
      if (!current) return problemAnswer(404, 'not_found', 'Import not found.');
      if (versionOf(request) !== current.version) return stale();
      if (hasSerial(current.columns)) {
        return save({ status: 'checked', problems: [], problemCount: 0, summary: CHECKED_SUMMARY });
      }
      return save({
        status: 'uploaded',
        problems: MAPPING_PROBLEMS,
        problemCount: options.problemCount ?? MAPPING_PROBLEMS.length,
        summary: { ...CHECKED_SUMMARY, create: 0, update: 0 },
      });
    },
    [`POST ${path}/run`]: (request) => {
      if (!current) return problemAnswer(404, 'not_found', 'Import not found.');
      if (versionOf(request) !== current.version) return stale();
      if (current.status !== 'checked') {
        return problemAnswer(
          409,
          ErrorCode.ImportNotChecked,
          'Check the file without problems before importing it.',
        );
      }
      return save({ status: 'queued', jobId: JOB_ID });
    },
    [`GET /api/v1/jobs/${JOB_ID}`]: () => {
      polls += 1;
      if (polls === 1) {
        current = current && { ...current, status: 'running' };
        return { body: job('running', 1, 3, 'Importing row 2 of 4') };
      }
      if (options.runFails) {
        current = current && {
          ...current,
          status: 'failed',
          problems: options.runFails,
          problemCount: options.runFails.length,
          finishedAt: '2030-01-15T10:01:02.000Z',
        };
        return { body: job('failed', 1, 3, null) };
      }
      current = current && {
        ...current,
        status: 'completed',
        summary: DONE_SUMMARY,
        finishedAt: '2030-01-15T10:01:02.000Z',
      };
      return { body: job('succeeded', 3, 3, 'Done') };
    },
  });

  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'https://app.test');
    const method = (init?.method ?? 'GET').toUpperCase();
    const headers = new Headers(init?.headers);
    if (method === 'POST' && url.pathname === '/api/v1/device-imports') {
      const body = init?.body;
      const text = body instanceof Blob ? await body.text() : String(body);
      uploads.push({
        path: url.pathname + url.search,
        contentType: headers.get('content-type'),
        csrf: headers.get('x-csrf-token'),
        text,
      });
      const fileName = url.searchParams.get('fileName') ?? 'file';
      current = deviceImport({
        fileName,
        format: fileName.endsWith('.xlsx') ? 'xlsx' : 'csv',
        size: text.length,
      });
      return new Response(JSON.stringify(current), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    }
    if (url.pathname.startsWith('/api/v1/device-imports') || url.pathname.startsWith('/api/v1/jobs/')) {
      return api(input, init);
    }
    return devices.fetchImpl(input, init);
  };

  return {
    fetchImpl,
    uploads,
    /** The import and job requests the page sent (uploads are in `uploads`). */
    requests: api.requests,
    deviceRequests: devices.requests,
    current: () => current,
    jobPolls: () => polls,
  };
}
