import { v7, validate } from 'uuid';

/** Row ids are UUIDv7 made in the app: time-ordered (good for indexes) and the same on both databases. */
export const newId = (): string => v7();

/** True for any RFC 9562 UUID in its text form. */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && validate(value);
