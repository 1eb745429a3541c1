import { describe, expect, it } from 'vitest';
import { safeReturnTo } from './return-to';
import { SignInError } from './sign-in-error';

describe('return path after sign-in', () => {
  it.each([
    ['/devices', '/devices'],
    ['/devices?status=assigned#top', '/devices?status=assigned#top'],
    ['/a/../settings', '/settings'],
    [undefined, '/'],
    ['', '/'],
  ])('SEC-3: keeps the same-site path %j', (input, expected) => {
    expect(safeReturnTo(input)).toBe(expected);
  });

  it.each([
    '//evil.example/',
    'https://evil.example/',
    'javascript:alert(1)',
    '/\\evil.example',
    '\\\\evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    'devices',
    `/${'a'.repeat(2048)}`,
  ])('SEC-3: refuses the open redirect %j', (input) => {
    expect(() => safeReturnTo(input)).toThrow(SignInError);
    try {
      safeReturnTo(input);
    } catch (error) {
      expect((error as SignInError).reason).toBe('open_redirect');
      expect((error as SignInError).status).toBe(400);
    }
  });
});
