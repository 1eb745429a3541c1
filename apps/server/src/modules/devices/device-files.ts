import { Readable } from 'node:stream';
import type { Device } from '@thestorage/contracts';
import type { Keyring } from '../../platform/crypto/keyring';
import type { DeviceRow } from '../../platform/db/schema';
import {
  checkContent,
  checkContentType,
  checkDeclaredLength,
  type FilePurpose,
  readWithinLimit,
} from '../../platform/files/file-rules';
import type { Actor } from '../../platform/http/actor';
import { notFound } from '../../platform/http/errors';
import type { TenantRepos } from '../../repos';
import { userRef } from '../auth/access';
import { assertImage, assertReadablePdf } from './file-checks';
import { assertInvoicePart, invoiceStateOf } from './invoice-settings';
import {
  auditActor,
  type DeviceCall,
  type DeviceServiceDeps,
  loadForWrite,
  staleVersion,
  viewsOf,
} from './service';

/** A device's two files (DEV-1): its invoice PDF and its image. */
export type DeviceFileKind = 'invoice' | 'image';

export interface DeviceFileDeps extends DeviceServiceDeps {
  /** Seals and opens file contents with the tenant's data key (SEC-9). */
  keyring: Keyring;
}

interface KindRule {
  purpose: FilePurpose;
  column: 'invoice_file_id' | 'image_file_id';
  /** The field the history shows. */
  field: string;
  what: string;
}

const KINDS: Record<DeviceFileKind, KindRule> = {
  invoice: { purpose: 'invoice', column: 'invoice_file_id', field: 'invoiceFile', what: 'Invoice' },
  image: { purpose: 'device_image', column: 'image_file_id', field: 'image', what: 'Image' },
};

/** An upload read and checked in full before anything is written. */
export interface CheckedUpload {
  contentType: string;
  bytes: Buffer;
}

/**
 * Reads an upload within its limit (refused as soon as it passes it) and checks that it is what it
 * claims: the magic bytes, then a PDF that pdf-lib can read or an image whose header gives sane dimensions.
 */
export async function readUpload(
  kind: DeviceFileKind,
  contentType: string,
  body: AsyncIterable<Buffer | Uint8Array | string> | undefined,
  declaredLength: number | undefined,
): Promise<CheckedUpload> {
  const { purpose } = KINDS[kind];
  const type = checkContentType(purpose, contentType);
  checkDeclaredLength(purpose, declaredLength);
  const bytes = body ? await readWithinLimit(purpose, body) : Buffer.alloc(0);
  checkContent(type, bytes);
  if (kind === 'invoice') await assertReadablePdf(bytes);
  else assertImage(bytes, type);
  return { contentType: type, bytes };
}

/** Invoice files exist only while invoice uploads are on (and the plan has invoice management). */
async function assertKindAvailable(r: TenantRepos, kind: DeviceFileKind, now: Date) {
  if (kind === 'invoice') assertInvoicePart(await invoiceStateOf(r, now), 'uploads');
}

async function currentFile(r: TenantRepos, row: DeviceRow, kind: DeviceFileKind) {
  const id = row[KINDS[kind].column];
  return id ? (await r.files.describe([id])).get(id) : undefined;
}

/**
 * Points the device at its file (or at none) with the version read, records the change in its history
 * as before → after ("attached", "replaced", "removed", "restored"), and renders the device.
 */
async function pointDeviceAt(
  deps: DeviceFileDeps,
  r: TenantRepos,
  call: DeviceCall,
  target: { row: DeviceRow; kind: DeviceFileKind; version: number; now: Date },
  fileId: string | null,
  change: { before: string | null; after: string },
): Promise<Device> {
  const { row, kind, version, now } = target;
  const updated = await r.devices.setFile(row, KINDS[kind].column, fileId, version, now);
  if (!updated) throw staleVersion();
  await r.audit.record({
    occurredAt: now,
    actor: auditActor(call.actor),
    action: 'device.modified',
    target: { type: 'device', id: row.id },
    changes: [{ field: KINDS[kind].field, before: change.before, after: change.after }],
    requestId: call.requestId,
  });
  const [view] = await viewsOf(deps, r, call.actor, [updated]);
  return view!;
}

/**
 * The refusals an upload would meet, checked before its body is read: another tenant's or a missing
 * device (404), a stale version (409), invoice uploads off or not in the plan (403).
 */
export async function assertMayUpload(
  deps: DeviceFileDeps,
  call: DeviceCall,
  id: string,
  kind: DeviceFileKind,
  version: number,
): Promise<void> {
  await deps.repos.forTenant(call.actor.tenantId).transaction(async (r) => {
    await loadForWrite(r, id, version);
    await assertKindAvailable(r, kind, deps.clock.now());
  });
}

/**
 * DEV-1: stores the checked upload in the encrypted file store and points the device at it, based on the
 * version read (DEV-6). A replaced file goes to the store's bin (kept 14 days, then purged).
 */
export async function attachDeviceFile(
  deps: DeviceFileDeps,
  call: DeviceCall,
  id: string,
  kind: DeviceFileKind,
  version: number,
  upload: CheckedUpload,
): Promise<Device> {
  const now = deps.clock.now();
  const rule = KINDS[kind];
  return deps.repos.forTenant(call.actor.tenantId).transaction(async (r) => {
    const row = await loadForWrite(r, id, version);
    await assertKindAvailable(r, kind, now);
    const previous = await currentFile(r, row, kind);
    const replacing = previous !== undefined && previous.deletedAt === null;
    if (replacing) await r.files.delete(previous.id, deps.clock);
    const stored = await r.files.store(
      deps.keyring,
      {
        purpose: rule.purpose,
        contentType: upload.contentType,
        body: Readable.from([upload.bytes]),
        createdBy: userRef(call.actor.userId),
      },
      deps.clock,
    );
    return pointDeviceAt(deps, r, call, { row, kind, version, now }, stored.id, {
      before: replacing ? 'attached' : null,
      after: replacing ? 'replaced' : 'attached',
    });
  });
}

/**
 * DEV-1: removes the device's file. A removed invoice stays restorable for 14 days (the device keeps
 * pointing at it); a removed image is simply gone from the device (the store purges it after 14 days).
 */
export async function removeDeviceFile(
  deps: DeviceFileDeps,
  call: DeviceCall,
  id: string,
  kind: DeviceFileKind,
  version: number,
): Promise<Device> {
  const now = deps.clock.now();
  const rule = KINDS[kind];
  return deps.repos.forTenant(call.actor.tenantId).transaction(async (r) => {
    const row = await loadForWrite(r, id, version);
    await assertKindAvailable(r, kind, now);
    const file = await currentFile(r, row, kind);
    if (!file || file.deletedAt !== null) throw notFound(rule.what);
    await r.files.delete(file.id, deps.clock);
    const keep = kind === 'invoice' ? file.id : null;
    return pointDeviceAt(deps, r, call, { row, kind, version, now }, keep, {
      before: 'attached',
      after: 'removed',
    });
  });
}

/** DEV-1: an Administrator brings a removed invoice back within its 14 days; after them it is gone. */
export async function restoreDeviceInvoice(
  deps: DeviceFileDeps,
  call: DeviceCall,
  id: string,
  version: number,
): Promise<Device> {
  const now = deps.clock.now();
  return deps.repos.forTenant(call.actor.tenantId).transaction(async (r) => {
    const row = await loadForWrite(r, id, version);
    await assertKindAvailable(r, 'invoice', now);
    const file = await currentFile(r, row, 'invoice');
    const restorable =
      file?.deletedAt != null && file.purgeAfter !== null && file.purgeAfter > now.toISOString();
    if (!file || !restorable) throw notFound('Removed invoice');
    await r.files.restore(file.id, deps.clock);
    return pointDeviceAt(deps, r, call, { row, kind: 'invoice', version, now }, file.id, {
      before: 'removed',
      after: 'restored',
    });
  });
}

/** A device file to send: its bytes, type and the id the browser may cache it by. */
export interface DeviceFileDownload {
  fileId: string;
  deviceNumber: number;
  contentType: string;
  /** Undefined when the caller already holds this file (`ifNoneMatch`). */
  bytes?: Buffer;
}

/** The device's current invoice or image; a removed one (or another tenant's device) is not found. */
export async function readDeviceFile(
  deps: DeviceFileDeps,
  actor: Actor,
  id: string,
  kind: DeviceFileKind,
  ifNoneMatch?: string,
): Promise<DeviceFileDownload> {
  const rule = KINDS[kind];
  return deps.repos.forTenant(actor.tenantId).transaction(async (r) => {
    const row = await r.devices.get(id);
    if (!row) throw notFound('Device');
    await assertKindAvailable(r, kind, deps.clock.now());
    const file = await currentFile(r, row, kind);
    if (!file || file.deletedAt !== null) throw notFound(rule.what);
    const found = { fileId: file.id, deviceNumber: Number(row.number), contentType: file.contentType };
    if (ifNoneMatch === file.id) return found;
    const content = await r.files.read(deps.keyring, file.id);
    return { ...found, bytes: content.bytes };
  });
}
