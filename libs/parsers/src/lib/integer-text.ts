const BILLION = 1e9;

// A row writes its time three times (in its id, its event, its change).
let lastValue = 0;
let lastText = '0';

/**
 * The decimal text of a number, as String() writes it, made fast for the
 * safe integers beyond 32 bits that every row carries (microsecond times):
 * V8 writes those through its general double-to-text path, at about 180 ns
 * each, but each half of such a number below a billion is a small integer,
 * which it writes in a few.
 */
export const integerText = (value: number): string => {
  if (!Number.isSafeInteger(value) || Math.abs(value) < BILLION) {
    return String(value);
  }
  if (value !== lastValue) {
    const magnitude = Math.abs(value);
    const high = Math.floor(magnitude / BILLION);
    const low = String(magnitude - high * BILLION).padStart(9, '0');
    lastText = `${value < 0 ? '-' : ''}${high}${low}`;
    lastValue = value;
  }
  return lastText;
};
