import { queryOptions } from '@tanstack/react-query';
import {
  type DeviceImport,
  deviceImportListSchema,
  deviceImportSchema,
  ErrorCode,
  IMPORT_CONTENT_TYPES,
  type ImportField,
  type ImportFormat,
  type ImportStatus,
} from '@thestorage/contracts';
import { ApiError, apiGet } from './client';
import type { ApiWrite } from './session';

/** Device imports of the signed-in tenant (DEV-12), under /api/v1. */
export const IMPORTS_PATH = '/api/v1/device-imports';

export function importPath(id: string): string {
  return `${IMPORTS_PATH}/${encodeURIComponent(id)}`;
}

/** The empty template with every column the import reads, as a plain download link. */
export function importTemplatePath(format: ImportFormat): string {
  return `${IMPORTS_PATH}/template?${new URLSearchParams({ format })}`;
}

/** How often a running import's job is asked for its progress. */
export const IMPORT_POLL_MS = 500;

/** Every query of this feature starts with this key. */
export const IMPORTS_KEY = ['device-imports'] as const;

/** The tenant's recent imports, newest first (the server sends up to 20). */
export const recentImportsQuery = queryOptions({
  queryKey: [...IMPORTS_KEY, 'list'],
  queryFn: ({ signal }) => apiGet(IMPORTS_PATH, deviceImportListSchema, { signal }),
  staleTime: 0,
});

/** Still to be read by the background job: the page keeps asking until it has finished. */
export function isImportRunning(status: ImportStatus): boolean {
  return status === 'queued' || status === 'running';
}

export function importQuery(id: string) {
  return queryOptions({
    queryKey: [...IMPORTS_KEY, 'detail', id],
    queryFn: ({ signal }) => apiGet(importPath(id), deviceImportSchema, { signal }),
    // A safety net beside the job's progress: the import's own status says when the run is over.
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status && isImportRunning(status) ? IMPORT_POLL_MS * 4 : false;
    },
    staleTime: 0,
  });
}

/** The format of a file by its name, or null when the import does not read it. */
export function importFormatOf(fileName: string): ImportFormat | null {
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  return extension === 'csv' || extension === 'xlsx' ? extension : null;
}

/**
 * The content type the upload is sent with: the one the browser gives a CSV or XLSX file, else the one of
 * its extension (browsers leave it empty, or say `application/vnd.ms-excel` for CSV on Windows).
 */
export function importContentTypeOf(file: Pick<File, 'name' | 'type'>): string | null {
  const format = importFormatOf(file.name);
  if (!format) return null;
  const known = Object.values(IMPORT_CONTENT_TYPES);
  return known.includes(file.type) ? file.type : IMPORT_CONTENT_TYPES[format];
}

export interface ImportMappingColumn {
  index: number;
  field: ImportField;
}

/** The import's writes, each carrying the version it was based on (DEV-6) and the session's CSRF token. */
export function importWrites(api: ApiWrite) {
  return {
    upload: (file: File, contentType: string) =>
      api.upload(
        `${IMPORTS_PATH}?${new URLSearchParams({ fileName: file.name })}`,
        file,
        contentType,
        deviceImportSchema,
      ),
    saveMapping: (id: string, version: number, columns: readonly ImportMappingColumn[]) =>
      api.put(`${importPath(id)}/mapping`, { version, columns }, deviceImportSchema),
    check: (id: string, version: number) =>
      api.post(`${importPath(id)}/check`, { version }, deviceImportSchema),
    run: (id: string, version: number) => api.post(`${importPath(id)}/run`, { version }, deviceImportSchema),
  };
}

/** The mapping as the server holds it, by column index. */
export function mappingOf(deviceImport: DeviceImport): Record<number, ImportField> {
  return Object.fromEntries(deviceImport.columns.map((column) => [column.index, column.field]));
}

/** The run was refused because the file was not checked without problems since its last change. */
export function isImportNotChecked(error: unknown): boolean {
  return error instanceof ApiError && error.code === ErrorCode.ImportNotChecked;
}

export function isStaleImport(error: unknown): boolean {
  return error instanceof ApiError && error.code === ErrorCode.ModifiedBySomeoneElse;
}
