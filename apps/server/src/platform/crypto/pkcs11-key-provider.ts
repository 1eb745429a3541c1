import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as Pkcs11Module from 'pkcs11js';
import { formatKekId, parseKekId, requireKekLabel } from './keks';
import { DATA_KEY_BYTES, type KeyProvider, KeyProviderError } from './key-provider';

type Pkcs11Js = typeof Pkcs11Module;
type Handle = Buffer;

export interface Pkcs11Options {
  /** The vendor's PKCS#11 library, e.g. /usr/lib/softhsm/libsofthsm2.so. */
  modulePath: string;
  /** The token is found by its label: slot numbers change between restarts. */
  tokenLabel: string;
  pin: string;
}

export interface Pkcs11KeyProvider extends KeyProvider {
  /** Stores (or replaces) a configuration secret on the token as a private CKO_DATA object. */
  storeSecret(name: string, value: string): Promise<void>;
}

/** A logged-in session on the named token, for the provider and for tests that inspect the token. */
export interface TokenSession {
  pkcs11: Pkcs11Module.PKCS11;
  constants: Pkcs11Js;
  session: Handle;
  close(): void;
}

export const SECRET_LABEL_PREFIX = 'thestorage-secret:';
/** A KEK is the token object labelled `thestorage-kek:<label>`; its CKA_ID tells twins apart. */
export const KEK_LABEL_PREFIX = 'thestorage-kek:';

// The native addon loads only when a PKCS#11 provider is configured.
const loadPkcs11Js = (): Pkcs11Js => createRequire(import.meta.url)('pkcs11js') as Pkcs11Js;

interface LoadedModule {
  pkcs11: Pkcs11Module.PKCS11;
  users: number;
}
// PKCS#11 allows one C_Initialize per library and process: every session of a library shares it.
const modules = new Map<string, LoadedModule>();

const codeOf = (err: unknown): number | undefined =>
  typeof (err as { code?: unknown })?.code === 'number' ? (err as { code: number }).code : undefined;

const failure = (
  what: string,
  err: unknown,
  code: KeyProviderError['code'] = 'provider_unavailable',
): KeyProviderError => {
  // pkcs11js messages are the CKR_* name only: they never carry key bytes.
  const reason = err instanceof Error ? err.message.split('\n')[0] : 'unknown error';
  return new KeyProviderError(code, `PKCS#11 ${what} failed (${reason})`, { cause: err });
};

function acquireModule(p11: Pkcs11Js, modulePath: string): Pkcs11Module.PKCS11 {
  const loaded = modules.get(modulePath);
  if (loaded) {
    loaded.users += 1;
    return loaded.pkcs11;
  }
  const pkcs11 = new p11.PKCS11();
  try {
    pkcs11.load(modulePath);
  } catch (err) {
    throw failure(`loading ${modulePath}`, err);
  }
  try {
    pkcs11.C_Initialize();
  } catch (err) {
    // A re-imported copy of this file (test isolation) may find the library already initialized.
    if (codeOf(err) !== p11.CKR_CRYPTOKI_ALREADY_INITIALIZED) throw failure('C_Initialize', err);
  }
  modules.set(modulePath, { pkcs11, users: 1 });
  return pkcs11;
}

function releaseModule(modulePath: string): void {
  const loaded = modules.get(modulePath);
  if (!loaded) return;
  loaded.users -= 1;
  if (loaded.users > 0) return;
  modules.delete(modulePath);
  try {
    loaded.pkcs11.C_Finalize();
  } catch {
    // Finalizing is best effort: the process is letting go of the library either way.
  }
}

function findSlot(pkcs11: Pkcs11Module.PKCS11, tokenLabel: string): Handle | undefined {
  return pkcs11.C_GetSlotList(true).find((slot) => pkcs11.C_GetTokenInfo(slot).label.trim() === tokenLabel);
}

/** Opens a read-write session on the token with this label and logs in as the user. */
export function openTokenSession(opts: Pkcs11Options): TokenSession {
  const p11 = loadPkcs11Js();
  let pkcs11 = acquireModule(p11, opts.modulePath);
  try {
    let slot = findSlot(pkcs11, opts.tokenLabel);
    if (!slot && modules.get(opts.modulePath)?.users === 1) {
      // Tokens initialized after C_Initialize stay invisible until the library is initialized again.
      releaseModule(opts.modulePath);
      pkcs11 = acquireModule(p11, opts.modulePath);
      slot = findSlot(pkcs11, opts.tokenLabel);
    }
    if (!slot) {
      throw new KeyProviderError('provider_unavailable', `No PKCS#11 token labelled "${opts.tokenLabel}"`);
    }
    const session = pkcs11.C_OpenSession(slot, p11.CKF_SERIAL_SESSION | p11.CKF_RW_SESSION);
    try {
      pkcs11.C_Login(session, p11.CKU_USER, opts.pin);
    } catch (err) {
      // Login is per token and application: a second session of this process is already logged in.
      if (codeOf(err) !== p11.CKR_USER_ALREADY_LOGGED_IN) {
        pkcs11.C_CloseSession(session);
        throw failure(`login to token "${opts.tokenLabel}"`, err, 'refused');
      }
    }
    let open = true;
    return {
      pkcs11,
      constants: p11,
      session,
      close() {
        if (!open) return;
        open = false;
        try {
          pkcs11.C_CloseSession(session);
        } finally {
          releaseModule(opts.modulePath);
        }
      },
    };
  } catch (err) {
    releaseModule(opts.modulePath);
    throw err instanceof KeyProviderError ? err : failure('opening a session', err);
  }
}

function findObjects(t: TokenSession, template: Pkcs11Module.Template): Handle[] {
  t.pkcs11.C_FindObjectsInit(t.session, template);
  try {
    return t.pkcs11.C_FindObjects(t.session, 1000);
  } finally {
    t.pkcs11.C_FindObjectsFinal(t.session);
  }
}

const attribute = (t: TokenSession, object: Handle, type: number): Buffer => {
  const [result] = t.pkcs11.C_GetAttributeValue(t.session, object, [{ type }]);
  if (!result) throw new KeyProviderError('provider_unavailable', 'PKCS#11 returned no attribute value');
  return result.value;
};

/**
 * KEKs in a PKCS#11 token (SEC-10): AES-256 keys generated inside the token, sensitive and
 * non-extractable, so wrap and unwrap happen in the HSM; destroying one is C_DestroyObject.
 * One session per provider, calls in turn.
 */
export function createPkcs11KeyProvider(opts: Pkcs11Options): Pkcs11KeyProvider {
  let token: TokenSession | undefined;
  let closed = false;
  let queue: Promise<unknown> = Promise.resolve();

  // pkcs11js calls are synchronous and a session is single-threaded: run one operation at a time.
  const inTurn = <T>(what: string, operation: (t: TokenSession) => T): Promise<T> => {
    const result = queue.then(() => {
      if (closed) throw new KeyProviderError('provider_unavailable', 'The PKCS#11 key provider is closed');
      token ??= openTokenSession(opts);
      try {
        return operation(token);
      } catch (err) {
        throw err instanceof KeyProviderError ? err : failure(what, err);
      }
    });
    queue = result.catch(() => undefined);
    return result;
  };

  const kekTemplate = (p11: Pkcs11Js, label: string): Pkcs11Module.Template => [
    { type: p11.CKA_CLASS, value: p11.CKO_SECRET_KEY },
    { type: p11.CKA_TOKEN, value: true },
    { type: p11.CKA_LABEL, value: `${KEK_LABEL_PREFIX}${label}` },
  ];

  /** The KEKs under one label, each with its id; twins (two nodes created one at once) in a fixed order. */
  const keksLabelled = (t: TokenSession, label: string): { id: string; handle: Handle }[] =>
    findObjects(t, kekTemplate(t.constants, label))
      .map((handle) => ({
        id: formatKekId(label, attribute(t, handle, t.constants.CKA_ID).toString('hex')),
        handle,
      }))
      .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));

  const kekHandle = (t: TokenSession, kekId: string): Handle | undefined => {
    const parsed = parseKekId(kekId);
    if (!parsed || !/^[0-9a-f]+$/.test(parsed.ref) || parsed.ref.length % 2 !== 0) return undefined;
    return findObjects(t, [
      ...kekTemplate(t.constants, parsed.label),
      { type: t.constants.CKA_ID, value: Buffer.from(parsed.ref, 'hex') },
    ])[0];
  };

  const requireKek = (t: TokenSession, kekId: string): Handle => {
    const handle = kekHandle(t, kekId);
    if (!handle) throw new KeyProviderError('unknown_kek', `KEK ${kekId} is not on the token`);
    return handle;
  };

  const generateKek = (t: TokenSession, label: string): string => {
    const p11 = t.constants;
    const objectId = randomBytes(16);
    t.pkcs11.C_GenerateKey(t.session, { mechanism: p11.CKM_AES_KEY_GEN }, [
      ...kekTemplate(p11, label),
      { type: p11.CKA_ID, value: objectId },
      { type: p11.CKA_KEY_TYPE, value: p11.CKK_AES },
      { type: p11.CKA_VALUE_LEN, value: 32 },
      { type: p11.CKA_PRIVATE, value: true },
      { type: p11.CKA_SENSITIVE, value: true },
      { type: p11.CKA_EXTRACTABLE, value: false },
      { type: p11.CKA_WRAP, value: true },
      { type: p11.CKA_UNWRAP, value: true },
      { type: p11.CKA_ENCRYPT, value: false },
      { type: p11.CKA_DECRYPT, value: false },
    ]);
    return formatKekId(label, objectId.toString('hex'));
  };

  const sessionKeyTemplate = (p11: Pkcs11Js): Pkcs11Module.Template => [
    { type: p11.CKA_CLASS, value: p11.CKO_SECRET_KEY },
    { type: p11.CKA_KEY_TYPE, value: p11.CKK_AES },
    { type: p11.CKA_TOKEN, value: false },
    { type: p11.CKA_SENSITIVE, value: false },
    { type: p11.CKA_EXTRACTABLE, value: true },
  ];

  const secretObjects = (t: TokenSession, name: string): Handle[] =>
    findObjects(t, [
      { type: t.constants.CKA_CLASS, value: t.constants.CKO_DATA },
      { type: t.constants.CKA_TOKEN, value: true },
      { type: t.constants.CKA_LABEL, value: `${SECRET_LABEL_PREFIX}${name}` },
    ]);

  return {
    kind: 'pkcs11',
    ping: () => inTurn('opening a session', () => undefined),
    createKek: async (label) => {
      requireKekLabel(label);
      return inTurn('generating a KEK', (t) => keksLabelled(t, label)[0]?.id ?? generateKek(t, label));
    },
    findKek: async (label) => {
      requireKekLabel(label);
      return inTurn('finding a KEK', (t) => keksLabelled(t, label)[0]?.id);
    },
    destroyKek: (kekId) =>
      inTurn('C_DestroyObject', (t) => {
        const handle = kekHandle(t, kekId);
        if (handle) t.pkcs11.C_DestroyObject(t.session, handle);
      }),
    wrapKey: (kekId, dataKey) =>
      inTurn('C_WrapKey', (t) => {
        if (dataKey.length !== DATA_KEY_BYTES)
          throw new KeyProviderError('refused', 'A data key is 32 bytes');
        const p11 = t.constants;
        const wrapping = requireKek(t, kekId);
        const dataKeyObject = t.pkcs11.C_CreateObject(t.session, [
          ...sessionKeyTemplate(p11),
          { type: p11.CKA_VALUE, value: dataKey },
        ]);
        try {
          // RFC 5649 output is the key plus 8 bytes; the buffer only has to be large enough.
          const out = Buffer.alloc(DATA_KEY_BYTES + 16);
          const wrapped = t.pkcs11.C_WrapKey(
            t.session,
            { mechanism: p11.CKM_AES_KEY_WRAP_PAD },
            wrapping,
            dataKeyObject,
            out,
          );
          return Buffer.from(wrapped);
        } finally {
          t.pkcs11.C_DestroyObject(t.session, dataKeyObject);
        }
      }),
    unwrapKey: (kekId, wrapped) =>
      inTurn('C_UnwrapKey', (t) => {
        const p11 = t.constants;
        const unwrapping = requireKek(t, kekId);
        let dataKeyObject: Handle;
        try {
          dataKeyObject = t.pkcs11.C_UnwrapKey(
            t.session,
            { mechanism: p11.CKM_AES_KEY_WRAP_PAD },
            unwrapping,
            wrapped,
            sessionKeyTemplate(p11),
          );
        } catch (err) {
          throw failure(`unwrapping a data key with ${kekId}`, err, 'unwrap_failed');
        }
        try {
          return Buffer.from(attribute(t, dataKeyObject, p11.CKA_VALUE));
        } finally {
          t.pkcs11.C_DestroyObject(t.session, dataKeyObject);
        }
      }),
    getSecret: (name) =>
      inTurn('reading a secret', (t) => {
        const [handle] = secretObjects(t, name);
        if (!handle) throw new KeyProviderError('unknown_secret', `Secret ${name} is not on the token`);
        return attribute(t, handle, t.constants.CKA_VALUE).toString('utf8');
      }),
    storeSecret: (name, value) =>
      inTurn('storing a secret', (t) => {
        const p11 = t.constants;
        for (const old of secretObjects(t, name)) t.pkcs11.C_DestroyObject(t.session, old);
        t.pkcs11.C_CreateObject(t.session, [
          { type: p11.CKA_CLASS, value: p11.CKO_DATA },
          { type: p11.CKA_TOKEN, value: true },
          { type: p11.CKA_PRIVATE, value: true },
          { type: p11.CKA_MODIFIABLE, value: true },
          { type: p11.CKA_APPLICATION, value: 'thestorage' },
          { type: p11.CKA_LABEL, value: `${SECRET_LABEL_PREFIX}${name}` },
          { type: p11.CKA_VALUE, value: Buffer.from(value, 'utf8') },
        ]);
      }),
    close: async () => {
      // Operations already queued finish first; later ones are refused.
      const done = queue.then(() => {
        closed = true;
        token?.close();
        token = undefined;
      });
      queue = done.catch(() => undefined);
      await done;
    },
  };
}
