import { randomFillSync } from 'node:crypto';
import { v7, validate } from 'uuid';

// Random bytes drawn 4 KiB at a time: asking the system for 16 bytes per id cost more than the rest of
// making it (an import makes hundreds of thousands of ids at once).
const pool = Buffer.alloc(4096);
let offset = pool.length;
function random16(): Uint8Array {
  if (offset + 16 > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  // A copy: the pool is refilled in place.
  const bytes = Uint8Array.from(pool.subarray(offset, offset + 16));
  offset += 16;
  return bytes;
}

// uuid keeps ids of one millisecond in order only when it draws its own randomness; with ours, the same
// rule (RFC 9562 method 1: a counter seeded from the random bits, bumped within a millisecond) is kept here.
const state = { msecs: Number.NEGATIVE_INFINITY, seq: 0 };

/** Row ids are UUIDv7 made in the app: time-ordered (good for indexes) and the same on both databases. */
export const newId = (): string => {
  const random = random16();
  const now = Date.now();
  if (now > state.msecs) {
    state.seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
    state.msecs = now;
  } else {
    state.seq = (state.seq + 1) | 0;
    if (state.seq === 0) state.msecs += 1;
  }
  return v7({ random, msecs: state.msecs, seq: state.seq });
};

/** True for any RFC 9562 UUID in its text form. */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && validate(value);
