/** The import page's state in the address: the import being worked on, so a reload keeps its place. */
export interface ImportSearch {
  id?: string;
}

const ID = /^[0-9a-zA-Z-]{1,64}$/;

/** Reads the address leniently: anything that is no id opens the upload step. */
export function parseImportSearch(raw: Record<string, unknown>): ImportSearch {
  // Every key is set, even to undefined: the router keeps raw values of keys left out.
  return { id: typeof raw.id === 'string' && ID.test(raw.id) ? raw.id : undefined };
}
