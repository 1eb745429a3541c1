import {
  type Category,
  type CategoryAttribute,
  categoryInputSchema,
  MAX_CATEGORY_ATTRIBUTES,
} from '@thestorage/contracts';
import { type FieldErrors, fieldErrorsOfIssues } from './catalogErrors';

export type AttributeType = CategoryAttribute['type'];

export const attributeTypeLabel: Record<AttributeType, string> = {
  text: 'Text',
  number: 'Number',
  date: 'Date',
};

/** One attribute row of the editor; `key` tells rows apart for React, `id` keeps a stored attribute's values. */
export interface AttributeDraft {
  key: string;
  id?: string;
  name: string;
  type: AttributeType;
  prefix: string;
  suffix: string;
  required: boolean;
}

export interface CategoryDraft {
  name: string;
  attributes: AttributeDraft[];
  appendToName: boolean;
}

let rowsMade = 0;

export function blankAttribute(): AttributeDraft {
  rowsMade += 1;
  return { key: `new-${rowsMade}`, name: '', type: 'text', prefix: '', suffix: '', required: false };
}

export function draftOf(category: Category | null): CategoryDraft {
  if (!category) return { name: '', attributes: [], appendToName: false };
  return {
    name: category.name,
    attributes: category.attributes.map((attribute) => ({ key: attribute.id, ...attribute })),
    appendToName: category.appendToName,
  };
}

/** The request body; a stored attribute sends its id back so devices keep its values when it is renamed. */
export function categoryBodyOf(draft: CategoryDraft) {
  return {
    name: draft.name,
    attributes: draft.attributes.map(({ key: _key, id, ...attribute }) =>
      id ? { id, ...attribute } : attribute,
    ),
    appendToName: draft.appendToName,
  };
}

export function canAddAttribute(draft: CategoryDraft): boolean {
  return draft.attributes.length < MAX_CATEGORY_ATTRIBUTES;
}

/**
 * The contract's rules (DEV-2: name 2–25, up to 6 attributes named 2–25, prefix and suffix ≤ 5) plus the
 * server's one rule across rows: attribute names differ, whatever the case. Keys are the server's paths.
 */
export function checkCategoryDraft(draft: CategoryDraft): FieldErrors {
  const checked = categoryInputSchema.safeParse(categoryBodyOf(draft));
  const errors = checked.success ? {} : fieldErrorsOfIssues(checked.error);
  const seen = new Set<string>();
  draft.attributes.forEach((attribute, index) => {
    const key = attribute.name.trim().toLowerCase();
    if (key && seen.has(key))
      errors[`attributes.${index}.name`] ??= `"${attribute.name.trim()}" is already an attribute`;
    seen.add(key);
  });
  return errors;
}

// Sample values by type for the live example; the first two give `MacBook Pro (16", M3)`.
const SAMPLE_VALUES: Record<AttributeType, readonly string[]> = {
  number: ['16', '512', '32', '2'],
  text: ['M3', 'Silver', 'QWERTY', 'EU'],
  date: ['2031-12-31', '2030-06-30'],
};

/**
 * How a device name looks with the attribute values appended, as the server builds it: each value with its
 * prefix and suffix, comma-separated in brackets after the name.
 */
export function exampleDeviceName(draft: CategoryDraft, deviceName = 'MacBook Pro'): string {
  if (!draft.appendToName) return deviceName;
  const used: Record<AttributeType, number> = { text: 0, number: 0, date: 0 };
  const parts = draft.attributes
    .filter((attribute) => attribute.name.trim() !== '')
    .map((attribute) => {
      const samples = SAMPLE_VALUES[attribute.type];
      const value = samples[used[attribute.type] % samples.length];
      used[attribute.type] += 1;
      return `${attribute.prefix.trim()}${value}${attribute.suffix.trim()}`;
    });
  return parts.length > 0 ? `${deviceName} (${parts.join(', ')})` : deviceName;
}
