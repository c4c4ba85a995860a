type Json = Record<string, unknown>;

/**
 * A decimal as canonical text, whether it came as text or as a JSON number:
 * "2.090" and 2.09 both give "2.09", "-0" gives "0". Numbers are written
 * the way JSON wrote them (shortest round trip), which is exact for the
 * literals a JSON file holds.
 */
export const canonicalDecimal = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(String(value).trim());
  if (!match || (match[2] === '' && !match[3])) {
    throw new Error(`not a plain decimal: ${JSON.stringify(value)}`);
  }
  const integer = match[2].replace(/^0+/, '') || '0';
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  const digits = fraction ? `${integer}.${fraction}` : integer;
  return match[1] === '-' && digits !== '0' ? `-${digits}` : digits;
};

/** JSON with object keys sorted at every depth: equal values, equal text. */
export const stableJson = (value: unknown): string =>
  JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.entries(inner as Json).sort(([a], [b]) =>
            a < b ? -1 : a > b ? 1 : 0,
          ),
        )
      : inner,
  );

/** A multiset as a sorted array, so that two multisets compare with toEqual. */
export const asMultiset = <T>(values: readonly T[]): T[] =>
  values
    .map((value) => ({ key: stableJson(value), value }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ value }) => value);
