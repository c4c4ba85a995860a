const PLAIN_DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;
/** Already canonical, as nearly every value is: taken as it is. */
const CANONICAL = /^-?(?:0|[1-9]\d{0,28})(?:\.\d{0,8}[1-9])?$/;

/** BigQuery NUMERIC: at most 29 integer and 9 fractional digits. */
const MAX_INTEGER_DIGITS = 29;
const MAX_FRACTION_DIGITS = 9;

/**
 * The canonical text of a plain decimal that fits BigQuery NUMERIC, or null
 * for anything else. Done on the digits, never through a binary float, so
 * "2.090", "02.09" and "+2.09" are all "2.09" and no cent is ever rounded.
 */
export const canonicalDecimal = (text: string): string | null => {
  if (CANONICAL.test(text) && text !== '-0') return text;
  const match = PLAIN_DECIMAL.exec(text.trim());
  if (match === null) return null;
  const [, sign, rawInteger, rawFraction = ''] = match;
  if (rawInteger === '' && rawFraction === '') return null;
  const integer = rawInteger.replace(/^0+(?=\d)/, '') || '0';
  const fraction = rawFraction.replace(/0+$/, '');
  if (
    integer.length > MAX_INTEGER_DIGITS ||
    fraction.length > MAX_FRACTION_DIGITS
  ) {
    return null;
  }
  const magnitude = fraction === '' ? integer : `${integer}.${fraction}`;
  return sign === '-' && magnitude !== '0' ? `-${magnitude}` : magnitude;
};
