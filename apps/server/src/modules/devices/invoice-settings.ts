import { type DeviceInvoiceSettings, ErrorCode } from '@thestorage/contracts';
import type { TenantRow } from '../../platform/db/schema';
import { AppError } from '../../platform/http/errors';
import type { TenantRepos } from '../../repos';
import type { InvoiceSwitches } from '../catalog/repo';
import { cheapestPlanWith, mayUse, planLabel } from '../tenants/plans';

/** What a tenant's invoice settings and plan allow right now (DEV-1). */
export interface InvoiceState {
  /** Effective: switched on and in the plan. */
  settings: DeviceInvoiceSettings;
  switches: InvoiceSwitches;
  inPlan: boolean;
}

/** The tenant columns that decide what its plan allows. */
export type TenantPlanFields = Pick<TenantRow, 'plan' | 'trial_ends_at' | 'cancelled_at'>;

const subscriptionOf = (tenant: TenantPlanFields) => ({
  plan: tenant.plan,
  trialEndsAt: tenant.trial_ends_at,
  cancelledAt: tenant.cancelled_at,
});

/** Invoice management is a Professional+ feature (docs/decisions.md "Plans"); trials have it. */
export function invoiceManagementInPlan(tenant: TenantPlanFields | undefined, now: Date): boolean {
  return tenant !== undefined && mayUse(subscriptionOf(tenant), 'invoice_management', now);
}

/** The PO extension and the PDF need invoice management itself; nothing shows without the plan. */
export function effectiveInvoiceSettings(switches: InvoiceSwitches, inPlan: boolean): DeviceInvoiceSettings {
  const management = inPlan && switches.invoiceManagement;
  return {
    management,
    customData: management && switches.customInvoiceData,
    uploads: management && switches.invoiceUploads,
  };
}

/** The invoice state from the tenant's switches and plan, however they were read. */
export function invoiceStateFrom(
  switches: InvoiceSwitches,
  tenant: TenantPlanFields | undefined,
  now: Date,
): InvoiceState {
  const inPlan = invoiceManagementInPlan(tenant, now);
  return { settings: effectiveInvoiceSettings(switches, inPlan), switches, inPlan };
}

/** Two small reads (settings row, tenant row); neither creates anything. */
export async function invoiceStateOf(r: TenantRepos, now: Date): Promise<InvoiceState> {
  const [switches, tenant] = await Promise.all([r.inventorySettings.invoiceSwitches(), r.tenant.get()]);
  return invoiceStateFrom(switches, tenant, now);
}

type InvoicePart = keyof DeviceInvoiceSettings;

export const turnedOff: Record<InvoicePart, { feature: string; message: string }> = {
  management: {
    feature: 'invoice_management',
    message: 'Invoice management is turned off for this tenant (Settings → Inventory)',
  },
  customData: {
    feature: 'custom_invoice_data',
    message: 'Custom invoice data (the PO extension) is turned off for this tenant (Settings → Inventory)',
  },
  uploads: {
    feature: 'invoice_uploads',
    message: 'Invoice uploads are turned off for this tenant (Settings → Inventory)',
  },
};

/**
 * Refuses what the tenant cannot use: `feature_not_in_plan` when its plan lacks invoice management,
 * `feature_turned_off` when an Administrator switched the part (or invoice management) off.
 */
export function assertInvoicePart(state: InvoiceState, part: InvoicePart): void {
  if (state.settings[part]) return;
  if (!state.inPlan) {
    const plan = cheapestPlanWith('invoice_management');
    throw new AppError(ErrorCode.FeatureNotInPlan, `Invoice management needs the ${planLabel(plan)} plan`, {
      details: { feature: 'invoice_management', plan },
    });
  }
  const off = state.switches.invoiceManagement ? turnedOff[part] : turnedOff.management;
  throw new AppError(ErrorCode.FeatureTurnedOff, off.message, { details: { feature: off.feature } });
}

/** The invoice fields of a device create or edit, and which part of the settings each needs. */
const INVOICE_INPUTS = [
  ['invoiceNumber', 'management'],
  ['invoiceDate', 'management'],
  ['vendorId', 'management'],
  ['poExtension', 'customData'],
] as const;

type InvoiceInput = Partial<Record<(typeof INVOICE_INPUTS)[number][0], string | null>>;

/**
 * DEV-1 "turning it off hides but keeps the data": a hidden field sent as null is dropped (so a form
 * that sends every field cannot clear what it never saw); a value for a hidden field is refused.
 */
export function withoutHiddenInvoiceFields<T extends InvoiceInput>(input: T, state: InvoiceState): T {
  const kept = { ...input };
  for (const [field, part] of INVOICE_INPUTS) {
    if (state.settings[part] || kept[field] === undefined) continue;
    if (kept[field] !== null) assertInvoicePart(state, part);
    delete kept[field];
  }
  return kept;
}
