import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderWithProviders } from '../../test-support/render';
import { ConvertedPrice } from './ConvertedPrice';
import { formatAmount, formatPrice } from './deviceFormat';
import { usdPrice as usd } from './testDevices';

afterEach(cleanup);

describe('a converted price', () => {
  it('DEV-1: shows under the original as "≈" the amount in the default currency, with the rate and its day', () => {
    renderWithProviders(<ConvertedPrice device={usd} />);
    const line = screen.getByTestId('converted-price');
    expect(line.textContent).toBe('≈ €1,235.38');
    expect(line.getAttribute('title')).toBe(
      'At the ECB reference rate of Jan 14, 2030: 1 USD = 0.950299 EUR',
    );
    cleanup();
    renderWithProviders(<ConvertedPrice device={usd} explain />);
    expect(screen.getByTestId('converted-price').textContent).toBe(
      '≈ €1,235.38 · At the ECB reference rate of Jan 14, 2030: 1 USD = 0.950299 EUR',
    );
    cleanup();
    renderWithProviders(
      <ConvertedPrice device={{ ...usd, convertedPrice: { ...usd.convertedPrice!, source: 'manual' } }} />,
    );
    expect(screen.getByTestId('converted-price').textContent).toBe('≈ €1,235.38 (manual rate)');
  });

  it('DEV-1: says "No exchange rate for XYZ" without a rate; shows nothing without a price or in the default currency', () => {
    renderWithProviders(<ConvertedPrice device={{ price: '500', currency: 'CHF', convertedPrice: null }} />);
    expect(screen.getByTestId('converted-price').textContent).toBe('No exchange rate for CHF');
    cleanup();
    const { container } = renderWithProviders(
      <>
        <ConvertedPrice device={{ price: null, currency: 'USD', convertedPrice: null }} />
        <ConvertedPrice device={{ price: '10', currency: null, convertedPrice: null }} />
        <ConvertedPrice
          device={{
            price: '10',
            currency: 'EUR',
            convertedPrice: { amount: '10.00', currency: 'EUR', rate: '1', rateDate: null, source: 'same' },
          }}
        />
      </>,
    );
    expect(container.querySelector('[data-testid="converted-price"]')).toBeNull();
  });

  it('DEV-1: amounts are shown exactly as computed, in the currency’s own format', () => {
    // 12 digits and cents: a float would still print this one right, but text is never rounded.
    expect(formatAmount('999999999999.99', 'EUR')).toBe('€999,999,999,999.99');
    expect(formatAmount('195746', 'JPY')).toBe('¥195,746');
    expect(formatAmount('32.450', 'KWD')).toBe('KWD\u00a032.450');
    expect(formatPrice('1299.9', 'USD')).toBe('$1,299.90');
    expect(formatPrice('12.50', 'XYZ')).toBe('XYZ\u00a012.50');
    expect(formatPrice(null, 'USD')).toBe('—');
  });
});
