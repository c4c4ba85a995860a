/**
 * Adapty event times to UTC microseconds. Two forms are read:
 * - ISO-8601 (`2024-09-18T07:22:41.000000+0000`, `...Z`, `...+03:00`, or no
 *   offset, which means UTC), with up to 9 fractional digits kept to the
 *   microsecond;
 * - the case layout's `September 18, 2024, 07:22 AM`, read as UTC.
 * The arithmetic is done on integers, never through Date parsing, whose
 * accepted forms vary between engines.
 */
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

/** The number written by `count` digits at `at`, or -1 when they are not all digits. */
const digitsAt = (text: string, at: number, count: number): number => {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (!(digit >= 0 && digit <= 9)) return -1;
    value = value * 10 + digit;
  }
  return value;
};

const MAX_FRACTION_DIGITS = 9;
const MICRO_DIGITS = 6;

/**
 * `YYYY-MM-DD(T| )HH:MM[:SS[(.|,)fraction]][ ][Z|±HH[[:]MM]]`, read by
 * position: every Adapty export row has one, and a regular expression would
 * allocate a string per part.
 */
const fromIso8601 = (text: string): number | null => {
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const separator = text[10];
  if (
    year < 0 ||
    month < 0 ||
    day < 0 ||
    hour < 0 ||
    minute < 0 ||
    text[4] !== '-' ||
    text[7] !== '-' ||
    (separator !== 'T' && separator !== ' ') ||
    text[13] !== ':'
  ) {
    return null;
  }
  let i = 16;
  let second = 0;
  let micros = 0;
  if (text[i] === ':') {
    second = digitsAt(text, i + 1, 2);
    if (second < 0) return null;
    i += 3;
    if (text[i] === '.' || text[i] === ',') {
      const start = ++i;
      for (
        let digit = digitsAt(text, i, 1);
        digit >= 0;
        digit = digitsAt(text, ++i, 1)
      ) {
        if (i - start < MICRO_DIGITS) micros = micros * 10 + digit;
      }
      const digits = i - start;
      if (digits === 0 || digits > MAX_FRACTION_DIGITS) return null;
      if (digits < MICRO_DIGITS) micros *= 10 ** (MICRO_DIGITS - digits);
    }
  }
  while (text[i] === ' ') i++;
  let offsetMinutes = 0;
  const sign = text[i];
  if (sign === 'Z' || sign === 'z') {
    i++;
  } else if (sign === '+' || sign === '-') {
    const hours = digitsAt(text, i + 1, 2);
    i += 3;
    if (text[i] === ':') i++;
    const minutes = i < text.length ? digitsAt(text, i, 2) : 0;
    if (i < text.length) i += 2;
    if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return null;
    offsetMinutes = (sign === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  if (i !== text.length) return null;
  return toMicros(
    year,
    month,
    day,
    hour,
    minute,
    second,
    micros,
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
  const first = value.charCodeAt(0);
  if (first >= 48 && first <= 57) return fromIso8601(value);
  const caseLayout = CASE_LAYOUT.exec(value);
  return caseLayout === null ? null : fromCaseLayout(caseLayout);
};

export const ADAPTY_DATETIME_FORMS =
  'ISO-8601 such as 2024-09-18T07:22:41.000000+0000 or 2024-09-18T07:22:41Z, or the form September 18, 2024, 07:22 AM';
