import { cleanup, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GENERIC_SIGN_IN_ERROR, KNOWN_SIGN_IN_ERRORS, signInErrorMessage } from '../../auth/signInErrors';
import { jsonFetch, renderApp } from '../../test-support/render';

const REASONS = [
  'bad_state',
  'replayed_state',
  'nonce_mismatch',
  'issuer_mismatch',
  'audience_mismatch',
  'token_expired',
  'issued_in_future',
  'bad_signature',
  'alg_not_allowed',
  'pkce_failed',
  'unknown_entra_tenant',
  'domain_not_allowed',
  'mfa_required',
  'provider_error',
  'open_redirect',
  'unknown_user',
  'disabled',
];

beforeEach(() => {
  vi.stubGlobal(
    'fetch',
    jsonFetch({
      '/auth/providers': {
        body: {
          providers: [
            { id: 'dev', kind: 'dev', label: 'Development sign-in' },
            { id: 'entra', kind: 'entra', label: 'Microsoft Entra ID' },
          ],
        },
      },
    }),
  );
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('sign-in failure messages', () => {
  it('SEC-3: every reason code of the server has its own message', () => {
    expect([...KNOWN_SIGN_IN_ERRORS].sort()).toEqual([...REASONS].sort());
    const messages = REASONS.map(signInErrorMessage);
    expect(new Set(messages).size).toBe(REASONS.length);
    for (const message of messages) expect(message).not.toBe(GENERIC_SIGN_IN_ERROR);
    expect(signInErrorMessage('mfa_required')).toMatch(/multi-factor/);
    expect(signInErrorMessage('domain_not_allowed')).toMatch(/domain/);
  });

  it('SEC-3: an unknown or hostile code gets the generic message, never echoed', () => {
    for (const code of ['', 'weird', '__proto__', 'toString', '<script>alert(1)</script>']) {
      expect(signInErrorMessage(code)).toBe(GENERIC_SIGN_IN_ERROR);
    }
  });
});

describe('the sign-in page', () => {
  it('SEC-3: shows the failure reason of a refused sign-in', async () => {
    renderApp('/sign-in?error=nonce_mismatch');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Sign-in did not succeed');
    expect(alert.textContent).toContain(signInErrorMessage('nonce_mismatch'));
  });

  it('SEC-3: an unknown reason shows the generic message without the code', async () => {
    renderApp('/sign-in?error=something_new');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(GENERIC_SIGN_IN_ERROR);
    expect(alert.textContent).not.toContain('something_new');
  });

  it('SEC-3: offers one full-page sign-in link per provider and says no password is kept', async () => {
    renderApp('/sign-in?returnTo=%2Fsoftware');
    const dev = await screen.findByRole('link', { name: /Development sign-in/ });
    expect(dev.getAttribute('href')).toBe('/auth/sign-in/dev?returnTo=%2Fsoftware');
    expect(screen.getByRole('link', { name: /Microsoft Entra ID/ }).getAttribute('href')).toBe(
      '/auth/sign-in/entra?returnTo=%2Fsoftware',
    );
    expect(screen.getByText(/TheStorage never sees or stores your password/)).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('SEC-14: a return address outside the app is dropped', async () => {
    renderApp('/sign-in?returnTo=https%3A%2F%2Fevil.example%2F');
    const dev = await screen.findByRole('link', { name: /Development sign-in/ });
    expect(dev.getAttribute('href')).toBe('/auth/sign-in/dev');
  });
});
