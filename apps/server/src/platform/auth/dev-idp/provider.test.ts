import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PEOPLE, findDemoPerson } from '../../../demo-people';
import { devIdpDirectory, loadOrCreateClientSecrets, loadOrCreateSigningKeys } from './key-files';
import { createMemoryAdapterFactory } from './memory-adapter';
import { acrFor, createDevIdentityProvider, DEV_IDP_ACR_MFA, devIdentityProviderEnabled } from './provider';

describe('development identity provider setup', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'thestorage-dev-idp-setup-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('SEC-3: runs in the embedded default and in production only when explicitly enabled', () => {
    expect(devIdentityProviderEnabled('embedded')).toBe(true);
    expect(devIdentityProviderEnabled('embedded', false)).toBe(false);
    expect(devIdentityProviderEnabled('production')).toBe(false);
    expect(devIdentityProviderEnabled('production', true)).toBe(true);
  });

  it('SEC-3: refuses an issuer that is not https or has no path to mount under', () => {
    const clients = [{ kind: 'cli' as const, clientId: 'cli' }];
    expect(() =>
      createDevIdentityProvider({ issuer: 'http://localhost:8443/dev-idp', dataDir, clients }),
    ).toThrow(/https/);
    expect(() => createDevIdentityProvider({ issuer: 'https://localhost:8443', dataDir, clients })).toThrow(
      /path/,
    );
    const dev = createDevIdentityProvider({ issuer: 'https://localhost:8443/dev-idp/', dataDir, clients });
    expect(dev.issuer).toBe('https://localhost:8443/dev-idp');
    expect(dev.mountPath).toBe('/dev-idp');
  });

  it('SEC-3: creates the signing key once (0600) and reads the same key back', () => {
    const dir = devIdpDirectory(dataDir);
    const first = loadOrCreateSigningKeys(dir);
    const again = loadOrCreateSigningKeys(dir);
    expect(again).toEqual(first);
    expect(first.keys[0]!.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(join(dir, 'jwks.json')).mode & 0o777).toBe(0o600);
    chmodSync(join(dir, 'jwks.json'), 0o644);
    loadOrCreateSigningKeys(dir);
    expect(statSync(join(dir, 'jwks.json')).mode & 0o777).toBe(0o600);
  });

  it('SEC-3: a damaged key file stops the start instead of silently replacing the key', () => {
    const dir = devIdpDirectory(dataDir);
    writeFileSync(join(dir, 'jwks.json'), '{"keys":[{"kty":"oct","k":"abc"}]}', { mode: 0o600 });
    expect(() => loadOrCreateSigningKeys(dir)).toThrow(/jwks\.json/);
    writeFileSync(join(dir, 'jwks.json'), 'not json', { mode: 0o600 });
    expect(() => loadOrCreateSigningKeys(dir)).toThrow(/jwks\.json/);
  });

  it('SEC-3: keeps a client secret across starts and adds one for a new client without touching the others', () => {
    const dir = devIdpDirectory(dataDir);
    const first = loadOrCreateClientSecrets(dir, ['web']);
    const second = loadOrCreateClientSecrets(dir, ['web', 'admin-web']);
    expect(second.get('web')).toBe(first.get('web'));
    expect(second.get('admin-web')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second.get('admin-web')).not.toBe(second.get('web'));
    const stored = JSON.parse(readFileSync(join(dir, 'clients.json'), 'utf8'));
    expect(Object.keys(stored.clients).sort()).toEqual(['admin-web', 'web']);
    expect(statSync(join(dir, 'clients.json')).mode & 0o777).toBe(0o600);
  });

  it('SEC-3: every demo person presents MFA and has a stable, unique subject and e-mail', () => {
    expect(new Set(DEMO_PEOPLE.map((p) => p.sub)).size).toBe(DEMO_PEOPLE.length);
    expect(new Set(DEMO_PEOPLE.map((p) => p.email)).size).toBe(DEMO_PEOPLE.length);
    for (const role of ['administrator', 'operator', 'viewer', 'employee', 'platform-admin'] as const) {
      expect(DEMO_PEOPLE.some((p) => p.demoRole === role)).toBe(true);
    }
    expect(DEMO_PEOPLE.filter((p) => p.demoRole === 'employee').length).toBeGreaterThanOrEqual(3);
    for (const p of DEMO_PEOPLE) {
      expect(p.amr).toEqual(['pwd', 'mfa']);
      expect(acrFor(p.amr)).toBe(DEV_IDP_ACR_MFA);
      expect(findDemoPerson(p.sub)).toBe(p);
    }
    expect(acrFor(['pwd'])).not.toBe(DEV_IDP_ACR_MFA);
  });
});

describe('development provider memory storage', () => {
  it('forgets entries when they expire, finds device codes by user code and revokes by grant', async () => {
    let now = 1_800_000_000_000;
    const factory = createMemoryAdapterFactory(() => now);
    const codes = factory('DeviceCode');
    const tokens = factory('AccessToken');
    await codes.upsert('dc1', { userCode: 'ABCD', grantId: 'g1' }, 60);
    await tokens.upsert('at1', { grantId: 'g1' }, 3600);
    expect(await codes.findByUserCode('ABCD')).toMatchObject({ userCode: 'ABCD' });
    await codes.consume('dc1');
    expect((await codes.find('dc1'))?.consumed).toBe(1_800_000_000);
    now += 61_000;
    expect(await codes.find('dc1')).toBeUndefined();
    expect(await codes.findByUserCode('ABCD')).toBeUndefined();
    expect(await tokens.find('at1')).toBeDefined();
    await tokens.revokeByGrantId('g1');
    expect(await tokens.find('at1')).toBeUndefined();
  });
});
