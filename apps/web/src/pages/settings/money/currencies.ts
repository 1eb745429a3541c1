/** Current ISO 4217 currencies as this browser knows them, by code, with their English names. */
export interface CurrencyOption {
  value: string;
  label: string;
}

const names = (() => {
  try {
    return new Intl.DisplayNames('en', { type: 'currency' });
  } catch {
    return null;
  }
})();

/** "Swiss Franc" for CHF; the code itself when the browser has no name for it. */
export function currencyName(code: string): string {
  try {
    return names?.of(code) ?? code;
  } catch {
    return code;
  }
}

/** Every current currency ("CHF — Swiss Franc"); `extra` adds a stored code the browser may not list. */
export function currencyOptions(extra: readonly string[] = []): CurrencyOption[] {
  let codes: string[];
  try {
    codes = Intl.supportedValuesOf('currency');
  } catch {
    codes = [];
  }
  return [...new Set([...codes, ...extra])]
    .sort()
    .map((code) => ({ value: code, label: `${code} — ${currencyName(code)}` }));
}
