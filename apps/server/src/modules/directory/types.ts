/**
 * A person as a directory describes them — exactly the fields SEC-5 allows, nothing more. These live
 * only in the cache (14 days from the last successful sync), never in SQL, files or logs.
 */
export interface DirectoryPerson {
  /** Entra object id, Google user id, or the SCIM resource id. */
  directoryId: string;
  /** UPN or primary e-mail. */
  userName: string;
  givenName: string | null;
  surname: string | null;
  displayName: string | null;
  jobTitle: string | null;
  active: boolean;
}

/** One page of a directory read: people added or changed, and ids removed (delta reads). */
export interface DirectoryPage {
  people: DirectoryPerson[];
  removedIds: string[];
}

export interface DirectorySyncResult {
  /** Opaque cursor for the next delta read (Graph deltaLink); null when the directory has none. */
  deltaToken: string | null;
  /** True when this was a full read (every person listed), false for a delta. */
  full: boolean;
}

/** Reads a directory (Microsoft Graph, Google Directory API) page by page. */
export interface DirectoryConnector {
  readonly kind: 'entra' | 'google';
  sync(options: {
    deltaToken?: string | null;
    signal?: AbortSignal;
    onPage(page: DirectoryPage): Promise<void>;
  }): Promise<DirectorySyncResult>;
}

export type DirectoryConnectionErrorCode =
  | 'revoked'
  | 'unauthorized'
  | 'throttled'
  | 'unavailable'
  | 'bad_response';

/** Why a sync could not read the directory; shown as the connection's last error (no personal data). */
export class DirectoryConnectionError extends Error {
  constructor(
    readonly code: DirectoryConnectionErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DirectoryConnectionError';
  }
}
