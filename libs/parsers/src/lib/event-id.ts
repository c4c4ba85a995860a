import { hash } from 'node:crypto';
import { FileKind } from '@event-pipeline/schema';

/** Hex digits kept of the SHA-256: 128 bits, ample against collisions. */
const EVENT_ID_HEX_LENGTH = 32;

/**
 * The idempotency key of a unified event: a SHA-256 over the source and the
 * event's own normalised fields, never the file it came in, so a redelivered
 * or re-uploaded file yields the same ids. The fields are encoded as a JSON
 * array, which no value can break out of, whatever characters it holds.
 */
export const eventId = (
  source: FileKind,
  fields: readonly (string | number | null)[],
): string =>
  hash('sha256', JSON.stringify([source, ...fields]), 'hex').slice(
    0,
    EVENT_ID_HEX_LENGTH,
  );
