/**
 * Google's partial-response `fields` syntax: comma lists, `a/b` sub-paths and `a(b,c)` sub-selections.
 * A node is `true` when the whole value is selected.
 */
export type FieldSelection = Map<string, FieldSelection | true>;

export class FieldSelectionError extends Error {}

export function parseFieldSelection(fields: string): FieldSelection {
  let at = 0;
  const parseList = (): FieldSelection => {
    const selection: FieldSelection = new Map();
    for (;;) {
      const start = at;
      while (at < fields.length && /[A-Za-z0-9_/*]/.test(fields[at]!)) at++;
      const path = fields.slice(start, at).split('/');
      if (path.some((name) => name === ''))
        throw new FieldSelectionError(`Invalid field selection at ${start}`);
      let sub: FieldSelection | true = true;
      if (fields[at] === '(') {
        at++;
        sub = parseList();
        if (fields[at] !== ')') throw new FieldSelectionError(`Invalid field selection at ${at}`);
        at++;
      }
      for (let i = path.length - 1; i > 0; i--) sub = new Map([[path[i]!, sub]]);
      merge(selection, path[0]!, sub);
      if (fields[at] !== ',') return selection;
      at++;
    }
  };
  const selection = parseList();
  if (at !== fields.length) throw new FieldSelectionError(`Invalid field selection at ${at}`);
  return selection;
}

function merge(into: FieldSelection, name: string, sub: FieldSelection | true) {
  const existing = into.get(name);
  if (existing === undefined || sub === true || existing === true) {
    into.set(name, existing === true ? true : sub);
    return;
  }
  for (const [key, value] of sub) merge(existing, key, value);
}

/** The selected leaves as dotted paths, e.g. `users.name.givenName`: what a test compares. */
export function selectedPaths(selection: FieldSelection, prefix = ''): string[] {
  return [...selection].flatMap(([name, sub]) =>
    sub === true ? [`${prefix}${name}`] : selectedPaths(sub, `${prefix}${name}.`),
  );
}

/** Keeps only the selected parts of a response, as Google does; arrays are filtered element by element. */
export function applyFieldSelection(value: unknown, selection: FieldSelection | true): unknown {
  if (selection === true || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => applyFieldSelection(item, selection));
  const source = value as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const [name, sub] of selection) {
    if (name === '*') return value;
    if (source[name] === undefined) continue;
    const picked = applyFieldSelection(source[name], sub);
    if (
      picked !== null &&
      typeof picked === 'object' &&
      !Array.isArray(picked) &&
      !Object.keys(picked).length
    )
      continue;
    result[name] = picked;
  }
  return result;
}
