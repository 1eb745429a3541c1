import { queryOptions } from '@tanstack/react-query';
import { deviceDashboardSchema } from '@thestorage/contracts';
import { apiGet } from './client';
import { DEVICES_KEY } from './devices';

/**
 * DASH-1, devices part. Under the devices key: any device write (which refreshes that key) refreshes the
 * dashboard's figures too.
 */
export const deviceDashboardQuery = queryOptions({
  queryKey: [...DEVICES_KEY, 'dashboard'],
  queryFn: ({ signal }) => apiGet('/api/v1/dashboard/devices', deviceDashboardSchema, { signal }),
});
