import type { Adapter, AdapterPayload } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  expiresAt: number;
}

const GRANTABLE = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode']);
const SWEEP_EVERY = 200;

/**
 * The development provider's storage: one Map per provider, in this process only (the embedded default runs
 * one process). oidc-provider reads the system time itself, so expiry here does too.
 */
export function createMemoryAdapterFactory(now: () => number = Date.now): (model: string) => Adapter {
  const entries = new Map<string, Entry>();
  const grants = new Map<string, Set<string>>();
  let writes = 0;

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  // Static client metadata is written without a lifetime: it lives as long as the process.
  const set = (key: string, payload: AdapterPayload, expiresIn: number | undefined) => {
    entries.set(key, { payload, expiresAt: expiresIn ? now() + expiresIn * 1000 : Number.POSITIVE_INFINITY });
    writes += 1;
    if (writes % SWEEP_EVERY === 0) {
      for (const k of [...entries.keys()]) live(k);
    }
  };

  return (model: string): Adapter => {
    const key = (id: string) => `${model}:${id}`;
    const pointer = async (kind: string, value: string) => {
      const id = live(`${model}/${kind}:${value}`)?.payload.id;
      return typeof id === 'string' ? live(key(id))?.payload : undefined;
    };
    return {
      async upsert(id, payload, expiresIn) {
        set(key(id), payload, expiresIn);
        if (model === 'Session' && payload.uid) set(`${model}/uid:${payload.uid}`, { id }, expiresIn);
        if (payload.userCode) set(`${model}/userCode:${payload.userCode}`, { id }, expiresIn);
        if (GRANTABLE.has(model) && payload.grantId) {
          const keys = grants.get(payload.grantId) ?? new Set<string>();
          keys.add(key(id));
          grants.set(payload.grantId, keys);
        }
      },
      async find(id) {
        return live(key(id))?.payload;
      },
      async findByUid(uid) {
        return pointer('uid', uid);
      },
      async findByUserCode(userCode) {
        return pointer('userCode', userCode);
      },
      async consume(id) {
        const entry = live(key(id));
        if (entry) entry.payload.consumed = Math.floor(now() / 1000);
      },
      async destroy(id) {
        entries.delete(key(id));
      },
      async revokeByGrantId(grantId) {
        for (const k of grants.get(grantId) ?? []) entries.delete(k);
        grants.delete(grantId);
      },
    };
  };
}
