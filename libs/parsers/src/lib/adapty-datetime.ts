/**
 * Adapty event times to UTC microseconds. Two forms are read:
 * - ISO-8601 (`2024-09-18T07:22:41.000000+0000`, `...Z`, `...+03:00`, or no
 *   offset, which means UTC), with up to 9 fractional digits kept to the
 *   microsecond;
 * - the case layout's `September 18, 2024, 07:22 AM`, read as UTC.
 * Both are read by position with a cursor, as every row has one and a
 * regular expression would allocate a string per part; the arithmetic is
 * done on integers, never through Date parsing, whose accepted forms vary
 * between engines.
 */
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

const MICRO_DIGITS = 6;

class Cursor {
  at = 0;

  constructor(private readonly text: string) {}

  get done(): boolean {
    return this.at === this.text.length;
  }

  /** The number written by `min` to `max` digits here, or -1. */
  digits(min: number, max: number): number {
    const start = this.at;
    let value = 0;
    while (this.at - start < max) {
      const digit = this.text.charCodeAt(this.at) - 48;
      if (!(digit >= 0 && digit <= 9)) break;
      value = value * 10 + digit;
      this.at++;
    }
    return this.at - start >= min ? value : -1;
  }

  /** Steps over `char` if it is next. */
  skip(char: string): boolean {
    if (this.text[this.at] !== char) return false;
    this.at++;
    return true;
  }

  /** Steps over blanks; says how many. */
  spaces(): number {
    const start = this.at;
    while (this.text[this.at] === ' ' || this.text[this.at] === '\t') this.at++;
    return this.at - start;
  }

  /** Steps over ASCII letters; says where they started. */
  private letters(): number {
    const start = this.at;
    for (;;) {
      const code = this.text.charCodeAt(this.at) | 0x20;
      if (code < 0x61 || code > 0x7a) break;
      this.at++;
    }
    return start;
  }

  /** The letters from `start` to here, any case, spell `word` (lower case)'s first ones. */
  private spells(start: number, word: string): boolean {
    for (let i = start; i < this.at; i++) {
      if ((this.text.charCodeAt(i) | 0x20) !== word.charCodeAt(i - start)) {
        return false;
      }
    }
    return true;
  }

  /** The number of the month named here, in full or in three letters, any case; 0 if none. */
  month(): number {
    const start = this.letters();
    const length = this.at - start;
    for (let i = 0; i < MONTHS.length; i++) {
      const name = MONTHS[i];
      if (
        (length === 3 || length === name.length) &&
        this.spells(start, name)
      ) {
        return i + 1;
      }
    }
    return 0;
  }

  /** The hours AM (0) or PM (12) adds, any case; -1 if neither is here. */
  meridiem(): number {
    const start = this.letters();
    if (this.at - start !== 2) return -1;
    if (this.spells(start, 'am')) return 0;
    return this.spells(start, 'pm') ? 12 : -1;
  }
}

/** `YYYY-MM-DD(T| )HH:MM[:SS[(.|,)fraction]][ ][Z|±HH[[:]MM]]` */
const fromIso8601 = (text: string): number | null => {
  const at = new Cursor(text);
  const year = at.digits(4, 4);
  if (year < 0 || !at.skip('-')) return null;
  const month = at.digits(2, 2);
  if (month < 0 || !at.skip('-')) return null;
  const day = at.digits(2, 2);
  if (day < 0 || !(at.skip('T') || at.skip(' '))) return null;
  const hour = at.digits(2, 2);
  if (hour < 0 || !at.skip(':')) return null;
  const minute = at.digits(2, 2);
  if (minute < 0) return null;
  let second = 0;
  let micros = 0;
  if (at.skip(':')) {
    second = at.digits(2, 2);
    if (second < 0) return null;
    if (at.skip('.') || at.skip(',')) {
      const start = at.at;
      const fraction = at.digits(1, 9);
      if (fraction < 0) return null;
      const digits = at.at - start;
      micros =
        digits <= MICRO_DIGITS
          ? fraction * 10 ** (MICRO_DIGITS - digits)
          : Math.floor(fraction / 10 ** (digits - MICRO_DIGITS));
    }
  }
  at.spaces();
  let offsetMinutes = 0;
  const sign = text[at.at];
  if (sign === '+' || sign === '-') {
    at.at++;
    const hours = at.digits(2, 2);
    at.skip(':');
    const minutes = at.done ? 0 : at.digits(2, 2);
    if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return null;
    offsetMinutes = (sign === '-' ? -1 : 1) * (hours * 60 + minutes);
  } else if (!at.skip('Z')) {
    at.skip('z');
  }
  return at.done
    ? toMicros(year, month, day, hour, minute, second, micros, offsetMinutes)
    : null;
};

/** `Month D, YYYY, HH:MM[:SS] AM`, the month's name in full or in three letters. */
const fromCaseLayout = (text: string): number | null => {
  const at = new Cursor(text);
  const month = at.month();
  at.skip('.');
  if (month === 0 || at.spaces() === 0) return null;
  const day = at.digits(1, 2);
  at.skip(',');
  if (day < 0 || at.spaces() === 0) return null;
  const year = at.digits(4, 4);
  at.skip(',');
  if (year < 0 || at.spaces() === 0) return null;
  const hour = at.digits(1, 2);
  if (hour < 1 || hour > 12 || !at.skip(':')) return null;
  const minute = at.digits(2, 2);
  const second = at.skip(':') ? at.digits(2, 2) : 0;
  at.spaces();
  const meridiem = at.meridiem();
  if (minute < 0 || second < 0 || meridiem < 0 || !at.done) return null;
  const hour24 = (hour % 12) + meridiem;
  return toMicros(year, month, day, hour24, minute, second, 0, 0);
};

const parseDatetime = (text: string): number | null => {
  const value = text.trim();
  const first = value.charCodeAt(0);
  return first >= 48 && first <= 57
    ? fromIso8601(value)
    : fromCaseLayout(value);
};

// Rows come in time order, and the case layout counts only minutes: most
// rows carry the same text as the row before, read once for all of them.
let lastText: string | null = null;
let lastValue: number | null = null;

/** UTC microseconds of an Adapty event_datetime, or null when it is neither form. */
export const parseAdaptyDatetime = (text: string): number | null => {
  if (text !== lastText) {
    lastValue = parseDatetime(text);
    lastText = text;
  }
  return lastValue;
};

export const ADAPTY_DATETIME_FORMS =
  'ISO-8601 such as 2024-09-18T07:22:41.000000+0000 or 2024-09-18T07:22:41Z, or the form September 18, 2024, 07:22 AM';
