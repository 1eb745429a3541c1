import type { Category } from '@thestorage/contracts';
import { describe, expect, it } from 'vitest';
import {
  blankAttribute,
  categoryBodyOf,
  checkCategoryDraft,
  draftOf,
  exampleDeviceName,
} from './categoryDraft';
import { companyDeviceIdExample } from './inventorySettingsLabels';

const laptops: Category = {
  id: 'cat-1',
  name: 'Laptops',
  attributes: [
    { id: 'a-screen', name: 'Screen', type: 'number', prefix: '', suffix: '"', required: true },
    { id: 'a-chip', name: 'Chip', type: 'text', prefix: '', suffix: '', required: false },
  ],
  appendToName: true,
  deviceCount: 0,
  createdAt: '2030-01-15T10:00:00.000Z',
  updatedAt: '2030-01-15T10:00:00.000Z',
  version: 4,
};

describe('the category editor’s rules', () => {
  it('DEV-2: the example appends values with prefix and suffix as the server names devices', () => {
    expect(exampleDeviceName(draftOf(laptops))).toBe('MacBook Pro (16", M3)');
    expect(exampleDeviceName({ ...draftOf(laptops), appendToName: false })).toBe('MacBook Pro');
    const unnamed = { ...draftOf(laptops), attributes: [{ ...blankAttribute(), prefix: 'x' }] };
    expect(exampleDeviceName(unnamed)).toBe('MacBook Pro');
  });

  it('DEV-2: stored attributes keep their ids in the request; new ones are sent without', () => {
    const draft = draftOf(laptops);
    draft.attributes.push({ ...blankAttribute(), name: 'RAM', type: 'number', suffix: 'GB' });
    expect(categoryBodyOf(draft).attributes).toEqual([
      { id: 'a-screen', name: 'Screen', type: 'number', prefix: '', suffix: '"', required: true },
      { id: 'a-chip', name: 'Chip', type: 'text', prefix: '', suffix: '', required: false },
      { name: 'RAM', type: 'number', prefix: '', suffix: 'GB', required: false },
    ]);
  });

  it('DEV-2: names 2–25, prefixes and suffixes up to 5, and attribute names that differ whatever the case', () => {
    const draft = draftOf(laptops);
    expect(checkCategoryDraft(draft)).toEqual({});
    draft.name = 'x'.repeat(26);
    draft.attributes[0] = { ...draft.attributes[0]!, prefix: 'abcdef' };
    draft.attributes[1] = { ...draft.attributes[1]!, name: ' SCREEN ', suffix: '123456' };
    expect(checkCategoryDraft(draft)).toEqual({
      name: 'A category name may have at most 25 characters',
      'attributes.0.prefix': 'A prefix may have at most 5 characters',
      'attributes.1.suffix': 'A suffix may have at most 5 characters',
      'attributes.1.name': '"SCREEN" is already an attribute',
    });
  });

  it('DEV-10: a Company Device ID is the prefix and the number padded to the digits', () => {
    expect(companyDeviceIdExample('ACME-', 6)).toBe('ACME-000042');
    expect(companyDeviceIdExample('', 3, 7)).toBe('007');
    expect(companyDeviceIdExample('X', 3, 12345)).toBe('X12345');
  });
});
