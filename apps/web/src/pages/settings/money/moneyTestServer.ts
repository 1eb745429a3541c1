import type { exchangeRatesSchema } from '@thestorage/contracts';
import {
  type ManualRate,
  type MoneySettings,
  manualRateUpdateSchema,
  moneySettingsUpdateSchema,
  type Role,
} from '@thestorage/contracts';
import type { z } from 'zod';
import { meAs } from '../../../test-support/people';
import {
  type Answer,
  answeringFetch,
  jsonFetch,
  problemAnswer,
  type RecordedRequest,
  staleProblem,
  validationProblem,
} from '../../../test-support/render';

export const CSRF = 'csrf-of-the-money-tests';
export const AT = '2030-01-15T10:00:00.000Z';

export type ExchangeRates = z.infer<typeof exchangeRatesSchema>;

export interface MoneyState {
  settings: MoneySettings;
  ecb: ExchangeRates;
  manual: Omit<ManualRate, 'inUse'>[];
}

/** The ECB's set of 2030-01-14, fetched then; the last attempt (2030-01-15) failed with a maintenance page. */
export const failedFetch: ExchangeRates = {
  rates: [
    { currency: 'EUR', perEur: '1', date: '2030-01-14' },
    { currency: 'GBP', perEur: '0.8309', date: '2030-01-14' },
    { currency: 'USD', perEur: '1.0523', date: '2030-01-14' },
  ],
  source: {
    url: 'https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml',
    lastAttemptAt: '2030-01-15T16:30:00.000Z',
    lastSuccessAt: '2030-01-14T16:30:00.000Z',
    rateDate: '2030-01-14',
    lastError: 'The rate source answered HTTP 503',
  },
};

/** The money API of the server in memory, with its rules: versions (DEV-6), the ECB's rate wins (inUse). */
export function moneyServer(initial: Partial<MoneyState> = {}, role: Role = 'administrator') {
  const state: MoneyState = {
    settings: { defaultCurrency: 'EUR', version: 1 },
    ecb: failedFetch,
    manual: [],
    ...structuredClone(initial),
  };
  const withUse = (rate: Omit<ManualRate, 'inUse'>): ManualRate => ({
    ...rate,
    inUse: !state.ecb.rates.some((r) => r.currency === rate.currency),
  });

  function putRate(currency: string, request: RecordedRequest): Answer {
    const parsed = manualRateUpdateSchema.safeParse(request.body);
    if (!parsed.success) return validationProblem(parsed.error);
    const current = state.manual.find((r) => r.currency === currency);
    const { perEur, version } = parsed.data;
    if (version === undefined && current) {
      return problemAnswer(409, 'conflict', `There is already a manual rate for ${currency}`);
    }
    if (version !== undefined && !current) return problemAnswer(404, 'not_found', 'Manual rate not found');
    if (current && version !== current.version) return staleProblem(current.version);
    const next = { currency, perEur, updatedAt: AT, version: (current?.version ?? 0) + 1 };
    state.manual = [...state.manual.filter((r) => r.currency !== currency), next].sort((a, b) =>
      a.currency.localeCompare(b.currency),
    );
    return { body: withUse(next) };
  }

  function answer(request: RecordedRequest): Answer | undefined {
    const url = new URL(request.path, 'https://app.test');
    if (url.pathname === '/api/v1/money-settings') {
      if (request.method === 'GET') return { body: state.settings };
      const parsed = moneySettingsUpdateSchema.safeParse(request.body);
      if (!parsed.success) return validationProblem(parsed.error);
      if (parsed.data.version !== state.settings.version) return staleProblem(state.settings.version);
      state.settings = { defaultCurrency: parsed.data.defaultCurrency, version: state.settings.version + 1 };
      return { body: state.settings };
    }
    if (url.pathname === '/api/v1/exchange-rates') return { body: state.ecb };
    if (url.pathname === '/api/v1/manual-exchange-rates')
      return { body: { rates: state.manual.map(withUse) } };
    const rate = /^\/api\/v1\/manual-exchange-rates\/([A-Z]{3})$/.exec(url.pathname);
    if (rate) {
      const currency = rate[1]!;
      if (request.method === 'PUT') return putRate(currency, request);
      if (request.method === 'DELETE') {
        const current = state.manual.find((r) => r.currency === currency);
        if (!current) return problemAnswer(404, 'not_found', 'Manual rate not found');
        if (Number(url.searchParams.get('version')) !== current.version) return staleProblem(current.version);
        state.manual = state.manual.filter((r) => r.currency !== currency);
        return { status: 204 };
      }
    }
    return undefined;
  }

  const fetchImpl = answeringFetch(
    answer,
    jsonFetch({ '/api/v1/me': { body: meAs(role, { csrfToken: CSRF }) } }),
  );
  const { requests } = fetchImpl;

  return {
    state,
    fetchImpl,
    requests,
    /** The state-changing requests with this method, in order. */
    sent: (method: string) => requests.filter((r) => r.method === method),
  };
}
