/**
 * Adapty event times to UTC microseconds. Two forms are read:
 * - ISO-8601 (`2024-09-18T07:22:41.000000+0000`, `...Z`, `...+03:00`, or no
 *   offset, which means UTC), with up to 9 fractional digits kept to the
 *   microsecond;
 * - the case layout's `September 18, 2024, 07:22 AM`, read as UTC.
 * The arithmetic is done on integers, never through Date parsing, whose
 * accepted forms vary between engines.
 */
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

const CASE_LAYOUT =
  /^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])$/;

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

const MICROS_PER_SECOND = 1_000_000;
const SECONDS_PER_DAY = 86_400;

const isLeapYear = (year: number) =>
  (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

const daysInMonth = (year: number, month: number) =>
  month === 2
    ? isLeapYear(year)
      ? 29
      : 28
    : [4, 6, 9, 11].includes(month)
      ? 30
      : 31;

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
const daysFromCivil = (year: number, month: number, day: number): number => {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear =
    Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 +
    Math.floor(yearOfEra / 4) -
    Math.floor(yearOfEra / 100) +
    dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
};

const toMicros = (
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  micros: number,
  offsetMinutes: number,
): number | null => {
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return null;
  }
  const seconds =
    daysFromCivil(year, month, day) * SECONDS_PER_DAY +
    hour * 3600 +
    (minute - offsetMinutes) * 60 +
    second;
  const result = seconds * MICROS_PER_SECOND + micros;
  return Number.isSafeInteger(result) ? result : null;
};

const offsetMinutesOf = (offset: string | undefined): number | null => {
  if (offset === undefined || offset === 'Z' || offset === 'z') return 0;
  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 23 || minutes > 59) return null;
  return (offset[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
};

const fromIso8601 = (match: RegExpExecArray): number | null => {
  const [, year, month, day, hour, minute, second, fraction, offset] = match;
  const offsetMinutes = offsetMinutesOf(offset);
  if (offsetMinutes === null) return null;
  return toMicros(
    Number(year),
    Number(month),
    Number(day),
    Number(hour),
    Number(minute),
    second === undefined ? 0 : Number(second),
    fraction === undefined ? 0 : Number(fraction.slice(0, 6).padEnd(6, '0')),
    offsetMinutes,
  );
};

const fromCaseLayout = (match: RegExpExecArray): number | null => {
  const [, monthName, day, year, hour, minute, second, meridiem] = match;
  const name = monthName.toLowerCase();
  const month =
    MONTHS.findIndex((full) =>
      name.length === 3 ? full.startsWith(name) : full === name,
    ) + 1;
  const hour12 = Number(hour);
  if (month === 0 || hour12 < 1 || hour12 > 12) return null;
  const hour24 = (hour12 % 12) + (meridiem.toLowerCase() === 'pm' ? 12 : 0);
  return toMicros(
    Number(year),
    month,
    Number(day),
    hour24,
    Number(minute),
    second === undefined ? 0 : Number(second),
    0,
    0,
  );
};

/** UTC microseconds of an Adapty event_datetime, or null when it is neither form. */
export const parseAdaptyDatetime = (text: string): number | null => {
  const value = text.trim();
  const iso = ISO_8601.exec(value);
  if (iso !== null) return fromIso8601(iso);
  const caseLayout = CASE_LAYOUT.exec(value);
  return caseLayout === null ? null : fromCaseLayout(caseLayout);
};

export const ADAPTY_DATETIME_FORMS =
  'ISO-8601 such as 2024-09-18T07:22:41.000000+0000 or 2024-09-18T07:22:41Z, or the form September 18, 2024, 07:22 AM';
