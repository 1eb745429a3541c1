import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { type DeviceListParams, deviceListQuery } from '../../api/devices';

/**
 * Cursor paging (DEV-9): the server hands out the next page's cursor only, so the cursors of the pages
 * already seen are kept as a stack for Previous. Other filters, sorting or page size start again at page 1.
 */
export function useDevicePages(params: Omit<DeviceListParams, 'cursor'>) {
  const key = JSON.stringify(params);
  const [paging, setPaging] = useState<{ key: string; cursors: (string | undefined)[] }>({
    key,
    cursors: [undefined],
  });
  const cursors = paging.key === key ? paging.cursors : [undefined];
  const query = useQuery({
    ...deviceListQuery({ ...params, cursor: cursors[cursors.length - 1] }),
    placeholderData: keepPreviousData,
  });
  const nextCursor = query.isPlaceholderData ? null : (query.data?.nextCursor ?? null);
  return {
    query,
    /** 0 for the first page. */
    pageIndex: cursors.length - 1,
    hasPrevious: cursors.length > 1,
    hasNext: nextCursor !== null,
    next: () => {
      if (nextCursor) setPaging({ key, cursors: [...cursors, nextCursor] });
    },
    previous: () => setPaging({ key, cursors: cursors.slice(0, -1) }),
  };
}
