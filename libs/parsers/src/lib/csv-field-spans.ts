const QUOTE = 0x22;
const COMMA = 0x2c;

/** Reused from call to call: two numbers per field. */
let spans = new Int32Array(128);

/**
 * Where each field of a CSV row lies in the row's bytes, worked out from
 * the field texts papaparse returned for it: an unquoted field is its text,
 * a quoted one its text between quotes with each quote in it doubled. Only
 * for a row of one byte per character (ASCII), from `start` to `end` (the
 * line break left out).
 *
 * Returns `[start, end]` of field `i` at `2i` and `2i + 1`, a quoted field's
 * quotes included, in an array that the next call reuses; or null when the
 * texts do not line up with the bytes (papaparse also takes spaces after a
 * closing quote), and the caller has only the texts to go by.
 */
export const csvFieldSpans = (
  fields: readonly string[],
  bytes: Uint8Array,
  start: number,
  end: number,
): Int32Array | null => {
  if (spans.length < fields.length * 2) {
    spans = new Int32Array(fields.length * 2);
  }
  const last = fields.length - 1;
  let at = start;
  for (let i = 0; i <= last; i++) {
    const text = fields[i];
    let fieldEnd = at + text.length;
    if (bytes[at] === QUOTE) {
      fieldEnd += 2;
      for (let q = text.indexOf('"'); q >= 0; q = text.indexOf('"', q + 1)) {
        fieldEnd++;
      }
      if (bytes[fieldEnd - 1] !== QUOTE) return null;
    }
    if (i < last ? bytes[fieldEnd] !== COMMA : fieldEnd !== end) return null;
    spans[2 * i] = at;
    spans[2 * i + 1] = fieldEnd;
    at = fieldEnd + 1;
  }
  return spans;
};
