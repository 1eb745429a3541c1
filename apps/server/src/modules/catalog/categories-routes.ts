import {
  type Category,
  type CategoryAttribute,
  categoriesSchema,
  categoryInputSchema,
  categorySchema,
  categoryUpdateSchema,
} from '@thestorage/contracts';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { newId } from '../../platform/db/ids';
import { notFound, validationFailed } from '../../platform/http/errors';
import type { TenantRepos } from '../../repos';
import { assertWithinLimit, limitOf, type TenantSubscription } from '../tenants/plans';
import { devicesPhrase } from './edits';
import { type CatalogDeps, entryView, registerCatalogListRoutes } from './list-routes';
import { type Listed, nameKey } from './repo';

type CategoryInput = z.infer<typeof categoryInputSchema>;
type AttributeInput = CategoryInput['attributes'][number];

/**
 * DEV-2: every attribute gets an id that device values are keyed by. An id sent back for one of the
 * category's own attributes is kept (renaming keeps the values); any other attribute gets a new id.
 * Attribute names are unique within the category, whatever the case.
 */
export function attributesWithIds(
  input: readonly AttributeInput[],
  existing: readonly CategoryAttribute[],
): CategoryAttribute[] {
  const known = new Set(existing.map((a) => a.id));
  const taken = new Set<string>();
  const names = new Set<string>();
  return input.map((attribute, index) => {
    const key = nameKey(attribute.name);
    if (names.has(key)) {
      throw validationFailed('Attribute names must be unique within a category', [
        { path: `attributes.${index}.name`, message: `"${attribute.name}" is already an attribute` },
      ]);
    }
    names.add(key);
    const id = attribute.id && known.has(attribute.id) && !taken.has(attribute.id) ? attribute.id : newId();
    taken.add(id);
    return {
      id,
      name: attribute.name,
      type: attribute.type,
      prefix: attribute.prefix,
      suffix: attribute.suffix,
      required: attribute.required,
    };
  });
}

const storedAttributes = (row: Listed<'categories'>): CategoryAttribute[] => JSON.parse(row.attributes);

const view = (row: Listed<'categories'>): Category => ({
  ...entryView(row),
  attributes: storedAttributes(row),
  appendToName: Number(row.append_to_name) === 1,
});

async function subscriptionOf(r: TenantRepos): Promise<TenantSubscription> {
  const tenant = await r.tenant.get();
  if (!tenant) throw notFound('Tenant');
  return { plan: tenant.plan, trialEndsAt: tenant.trial_ends_at, cancelledAt: tenant.cancelled_at };
}

/** DEV-2 categories, limited per tenant by the plan (SPEC section 1). */
export function registerCategoryRoutes(api: FastifyInstance, deps: CatalogDeps) {
  registerCatalogListRoutes(api, deps, {
    plural: 'categories',
    noun: 'Category',
    auditType: 'category',
    repo: (r) => r.categories,
    schemas: {
      input: categoryInputSchema,
      update: categoryUpdateSchema,
      item: categorySchema,
      list: categoriesSchema,
    },
    columns: (input, before) => ({
      attributes: JSON.stringify(attributesWithIds(input.attributes, before ? storedAttributes(before) : [])),
      append_to_name: input.appendToName ? 1 : 0,
    }),
    views: async (rows) => rows.map(view),
    audited: (category) => ({
      name: category.name,
      attributes: category.attributes,
      appendToName: category.appendToName,
    }),
    listBody: async (categories, r, now) => ({
      categories,
      limit: limitOf(await subscriptionOf(r), 'categories', now),
    }),
    async beforeCreate(r, now) {
      const subscription = await subscriptionOf(r);
      await r.categories.lockForLimit();
      assertWithinLimit(subscription, 'categories', await r.categories.count(), now);
    },
    inUseMessage: (count) =>
      `${devicesPhrase(count)} ${count === 1 ? 'uses' : 'use'} this category: change their category before deleting it`,
    deleteSummary: 'refused while devices use the category',
  });
}
