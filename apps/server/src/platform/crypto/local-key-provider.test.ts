import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadKeyProviderSettings } from '../../config';
import { ManualClock } from '../clock';
import { kekLabel } from './keks';
import { KeyProviderError } from './key-provider';
import { createLocalKeyProvider } from './local-key-provider';

const clock = new ManualClock();

const expectProviderError = async (promise: Promise<unknown>, code: KeyProviderError['code']) => {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(KeyProviderError);
  expect((error as KeyProviderError).code).toBe(code);
  return error as KeyProviderError;
};

describe('local key provider', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'thestorage-local-keys-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('SEC-10: the key file is created 0600 (in a 0700 folder) on first start, and refused once others can read it', async () => {
    const file = path.join(dir, 'keys', 'master.json');
    const provider = createLocalKeyProvider({ file, clock });
    await provider.ping();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    await provider.createKek(kekLabel('tenant', randomUUID()));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    chmodSync(file, 0o644);
    await expectProviderError(provider.ping(), 'refused');
  });

  it('SEC-12: destroying a KEK removes its key bytes from the key file', async () => {
    const file = path.join(dir, 'shred', 'master.json');
    const provider = createLocalKeyProvider({ file, clock });
    const doomed = await provider.createKek(kekLabel('tenant', randomUUID()));
    const kept = await provider.createKek(kekLabel('organization', randomUUID()));
    const entries = () =>
      (JSON.parse(readFileSync(file, 'utf8')) as { keks: { id: string; key: string }[] }).keks;
    const doomedKey = entries().find((k) => k.id === doomed)?.key;
    expect(doomedKey).toMatch(/\S{40}/);
    await provider.destroyKek(doomed);
    expect(entries().map((k) => k.id)).toEqual([kept]);
    expect(readFileSync(file, 'utf8')).not.toContain(doomedKey);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('SEC-10: the local key file is refused when MODE=production', () => {
    let error: unknown;
    try {
      loadKeyProviderSettings({ MODE: 'production', KEY_PROVIDER: 'local', DATA_DIR: dir });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringMatching(/KEY_PROVIDER=local is refused when MODE=production/),
    ]);
    expect(loadKeyProviderSettings({ DATA_DIR: dir })).toEqual({
      kind: 'local',
      file: path.join(path.resolve(dir), 'keys', 'master.json'),
    });
  });
});
