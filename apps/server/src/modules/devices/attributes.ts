import type { CategoryAttribute } from '@thestorage/contracts';
import { validationFailed } from '../../platform/http/errors';

export type AttributeValue = string | number;
export type AttributeValues = Record<string, AttributeValue>;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const validDate = (text: string) => ISO_DATE.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`));

/**
 * DEV-2: a device's attribute values against its category: only the category's attributes, each of its
 * type (Text ≤ 100 characters, Number, Date as YYYY-MM-DD), every required one present. Empty values are
 * dropped. Returns the cleaned values; throws one validation error listing every problem.
 */
export function validateAttributeValues(
  attributes: readonly CategoryAttribute[] | null,
  values: Record<string, string | number | null>,
): AttributeValues {
  const problems: { path: string; message: string }[] = [];
  const byId = new Map((attributes ?? []).map((a) => [a.id, a]));
  const cleaned: AttributeValues = {};
  for (const [id, raw] of Object.entries(values)) {
    const attribute = byId.get(id);
    if (!attribute) {
      problems.push({ path: `attributes.${id}`, message: 'The category has no such attribute' });
      continue;
    }
    if (raw === null || (typeof raw === 'string' && raw.trim() === '')) continue;
    if (attribute.type === 'number') {
      const number = typeof raw === 'number' ? raw : Number(raw.trim());
      if (!Number.isFinite(number))
        problems.push({ path: `attributes.${id}`, message: `${attribute.name} is a number` });
      else cleaned[id] = number;
    } else if (attribute.type === 'date') {
      const text = String(raw).trim();
      if (!validDate(text))
        problems.push({ path: `attributes.${id}`, message: `${attribute.name} is a date (YYYY-MM-DD)` });
      else cleaned[id] = text;
    } else {
      const text = String(raw).trim();
      if (text.length > 100)
        problems.push({ path: `attributes.${id}`, message: `${attribute.name} has at most 100 characters` });
      else cleaned[id] = text;
    }
  }
  for (const attribute of attributes ?? []) {
    if (
      attribute.required &&
      cleaned[attribute.id] === undefined &&
      !problems.some((p) => p.path === `attributes.${attribute.id}`)
    ) {
      problems.push({ path: `attributes.${attribute.id}`, message: `${attribute.name} is required` });
    }
  }
  if (problems.length > 0) throw validationFailed(problems[0]!.message, problems);
  return cleaned;
}

/** DEV-2: `MacBook Pro (16", M3)` when the category appends its attribute values to device names. */
export function displayNameOf(
  name: string,
  category: { attributes: readonly CategoryAttribute[]; appendToName: boolean } | null,
  values: AttributeValues,
): string {
  if (!category?.appendToName) return name;
  const parts = category.attributes
    .filter((a) => values[a.id] !== undefined)
    .map((a) => `${a.prefix}${values[a.id]}${a.suffix}`);
  return parts.length > 0 ? `${name} (${parts.join(', ')})` : name;
}
