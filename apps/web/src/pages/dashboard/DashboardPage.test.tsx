import { cleanup, screen } from '@testing-library/react';
import type { Health, Readiness } from '@thestorage/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { meAs } from '../../test-support/people';
import { jsonFetch, renderApp } from '../../test-support/render';
import { deviceFigures } from './testDashboard';

const me = { body: meAs('operator') };
const figures = { body: deviceFigures() };

const health: Health = {
  status: 'ok',
  version: '0.1.0',
  mode: 'embedded',
  uptimeSeconds: 3_725,
  tls: { source: 'dev-ca', notAfter: '2027-01-10T00:00:00.000Z', daysLeft: 12, expiresSoon: true },
};
const readiness: Readiness = {
  status: 'not_ready',
  checks: {
    database: { ok: true, latencyMs: 1.4 },
    cache: { ok: false, latencyMs: 0, error: 'cache unreachable' },
  },
};

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the dashboard', () => {
  it('SHELL-1: shows the system status from /health and /ready', async () => {
    vi.stubGlobal(
      'fetch',
      jsonFetch({
        '/api/v1/me': me,
        '/api/v1/dashboard/devices': figures,
        '/health': { body: health },
        '/ready': { status: 503, body: readiness },
      }),
    );
    renderApp('/');

    expect(await screen.findByText('Embedded')).toBeTruthy();
    expect(screen.getByText('0.1.0')).toBeTruthy();
    expect(screen.getByText('1 h 2 min')).toBeTruthy();
    const days = screen.getByTestId('certificate-days');
    expect(days.textContent).toBe('12 days left');
    expect(days.getAttribute('style') ?? '').toContain('orange');
    expect(await screen.findByText('Ready · 1 ms')).toBeTruthy();
    expect(screen.getByText('Unavailable')).toBeTruthy();
    expect(screen.getByText('Needs attention')).toBeTruthy();
  });

  it('SHELL-1: a failing /health shows the error with its request id next to the readiness data', async () => {
    vi.stubGlobal(
      'fetch',
      jsonFetch({
        '/api/v1/me': me,
        '/api/v1/dashboard/devices': figures,
        '/health': {
          status: 500,
          body: {
            type: 'about:blank',
            title: 'Internal Server Error',
            status: 500,
            requestId: 'req-7',
            error: { code: 'internal_error', message: 'Something broke.' },
          },
        },
        '/ready': {
          body: {
            ...readiness,
            status: 'ready',
            checks: { ...readiness.checks, cache: { ok: true, latencyMs: 0.2 } },
          },
        },
      }),
    );
    renderApp('/');

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Something broke.');
    expect(alert.textContent).toContain('req-7');
    expect(await screen.findAllByText(/^Ready · /)).toHaveLength(2);
    expect(screen.getByText('Ready · < 1 ms')).toBeTruthy();
  });
});
