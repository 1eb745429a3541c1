import { describe, expect, it } from 'vitest';
import { safeReturnTo, signInStartUrl } from './returnTo';

describe('the return address after sign-in', () => {
  it('SEC-14: keeps paths of this app', () => {
    expect(safeReturnTo('/settings/users')).toBe('/settings/users');
    expect(safeReturnTo('/devices?status=missing#top')).toBe('/devices?status=missing#top');
  });

  it('SEC-14: drops anything that could leave the app (open redirect)', () => {
    for (const hostile of [
      'https://evil.example/',
      '//evil.example/x',
      '/\\evil.example',
      'javascript:alert(1)',
      '/\tx',
      'settings',
      '/sign-in?returnTo=/x',
      42,
      undefined,
    ]) {
      expect(safeReturnTo(hostile)).toBeUndefined();
    }
  });

  it('SEC-3: starts a sign-in at the server with the return path as a query parameter', () => {
    expect(signInStartUrl('dev', '/settings/users?tab=1')).toBe(
      '/auth/sign-in/dev?returnTo=%2Fsettings%2Fusers%3Ftab%3D1',
    );
    expect(signInStartUrl('entra/x', undefined)).toBe('/auth/sign-in/entra%2Fx');
  });
});
