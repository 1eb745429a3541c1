import { useQueries } from '@tanstack/react-query';
import type { DeviceInvoiceSettings, InventorySettings } from '@thestorage/contracts';
import { categoriesQuery, inventorySettingsQuery, tagsQuery, vendorsQuery } from '../../api/catalog';
import type { QueryLike } from '../../components/QueryState';
import type { DeviceFormLists } from './DeviceFormFields';

/** DEV-1: what the tenant's invoice switches and plan show, as a device view says it. */
export function invoiceSettingsOf(settings: InventorySettings): DeviceInvoiceSettings {
  const management = settings.invoiceManagement && settings.invoiceManagementInPlan;
  return {
    management,
    customData: management && settings.customInvoiceData,
    uploads: management && settings.invoiceUploads,
  };
}

/** The four lists a device refers to (categories, vendors, tags) and the barcode scheme, loaded together. */
export function useDeviceLists(): QueryLike<DeviceFormLists> {
  return useQueries({
    queries: [categoriesQuery, vendorsQuery, tagsQuery, inventorySettingsQuery],
    combine: ([categories, vendors, tags, settings]) => {
      const all = [categories, vendors, tags, settings];
      const failed = all.find((q) => q.isError);
      return {
        isPending: all.some((q) => q.isPending),
        isError: failed !== undefined,
        isFetching: all.some((q) => q.isFetching),
        error: failed?.error ?? null,
        data:
          categories.data && vendors.data && tags.data && settings.data
            ? {
                categories: categories.data.categories,
                vendors: vendors.data.vendors,
                tags: tags.data.tags,
                barcodeMode: settings.data.barcodeMode,
                invoice: invoiceSettingsOf(settings.data),
              }
            : undefined,
        refetch: () => Promise.all(all.map((q) => q.refetch())),
      };
    },
  });
}
