import { hash } from 'node:crypto';
import { FileKind } from '@event-pipeline/schema';
import { integerText } from './integer-text';

/** Hex digits kept of the SHA-256: 128 bits, ample against collisions. */
const EVENT_ID_HEX_LENGTH = 32;

/** One field of the key: `|<length>:<text>`, or `|-` for null. */
const part = (field: string | number | null): string => {
  if (field === null) return '|-';
  const text = typeof field === 'string' ? field : integerText(field);
  return `|${text.length}:${text}`;
};

/**
 * The idempotency key of a unified event: a SHA-256 over the source and the
 * event's own normalised fields, never the file it came in, so a redelivered
 * or re-uploaded file yields the same ids. Each field is written with its
 * length before it (`-` for null), so no value can spill into the next one,
 * whatever characters it holds; a number counts as its decimal text.
 */
export const eventId = (
  source: FileKind,
  fields: readonly (string | number | null)[],
): string => {
  let key: string = source;
  for (const field of fields) key += part(field);
  return hash('sha256', key, 'hex').slice(0, EVENT_ID_HEX_LENGTH);
};
