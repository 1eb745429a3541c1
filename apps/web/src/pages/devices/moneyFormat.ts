import type { ConvertedPrice } from '@thestorage/contracts';
import { formatDay } from './deviceFormat';

/** Where a converted amount's rate came from, as a person reads it. */
export function conversionSourceText(converted: ConvertedPrice, from: string): string {
  if (converted.source === 'same') return `In ${converted.currency}, the default currency`;
  const origin = converted.source === 'ecb' ? 'ECB reference rate' : 'manual rate';
  const day = converted.rateDate ? ` of ${formatDay(converted.rateDate)}` : '';
  return `At the ${origin}${day}: 1 ${from} = ${converted.rate} ${converted.currency}`;
}
