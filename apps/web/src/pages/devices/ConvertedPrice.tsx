import { Text } from '@mantine/core';
import type { Device } from '@thestorage/contracts';
import { formatAmount } from './deviceFormat';
import { conversionSourceText } from './moneyFormat';

/**
 * DEV-1: the price in the tenant's default currency, muted and smaller under the original; "No exchange
 * rate for XYZ" when it cannot be converted. Nothing without a price and a currency, or when the price is
 * already in the default currency.
 */
export function ConvertedPrice({
  device,
  size = 'xs',
  explain = false,
}: {
  device: Pick<Device, 'price' | 'currency' | 'convertedPrice'>;
  size?: 'xs' | 'sm';
  /** Also say which rate of which day it used (the device page); lists keep it in the tooltip. */
  explain?: boolean;
}) {
  const { price, currency, convertedPrice } = device;
  if (!price || !currency) return null;
  if (!convertedPrice) {
    return (
      <Text size={size} c="dimmed" data-testid="converted-price" data-source="none">
        No exchange rate for {currency}
      </Text>
    );
  }
  if (convertedPrice.source === 'same') return null;
  const explained = conversionSourceText(convertedPrice, currency);
  return (
    <Text
      size={size}
      c="dimmed"
      data-testid="converted-price"
      data-source={convertedPrice.source}
      title={explained}
    >
      ≈ {formatAmount(convertedPrice.amount, convertedPrice.currency)}
      {explain ? ` · ${explained}` : convertedPrice.source === 'manual' ? ' (manual rate)' : ''}
    </Text>
  );
}
