/** An event_params entry as the GA4 export writes it: every value field present, all but one null. */
export const ga4Param = (key: string, value: Record<string, unknown>) => ({
  key,
  value: {
    string_value: null,
    int_value: null,
    float_value: null,
    double_value: null,
    ...value,
  },
});

/** event_date as the export writes it: the UTC day of a microsecond timestamp, YYYYMMDD. */
export const ga4EventDate = (timestampMicros: number): string =>
  new Date(timestampMicros / 1000).toISOString().slice(0, 10).replace(/-/g, '');

/** The session id (as text or as a number, at random) and the engagement time of an event. */
export const ga4SessionParams = (next: () => number, session: number) => [
  ga4Param('ga_session_id', {
    int_value: next() < 0.5 ? String(session) : session,
  }),
  ga4Param('engagement_time_msec', {
    int_value: Math.floor(next() * 60000),
  }),
];

/** city, region, country, continent, sub_continent */
export const GA4_PLACES = [
  ['Istanbul', 'Istanbul', 'Turkey', 'Asia', 'Western Asia'],
  ['Berlin', 'Berlin', 'Germany', 'Europe', 'Western Europe'],
  ['New York', 'New York', 'United States', 'Americas', 'Northern America'],
  ['(not set)', '(not set)', 'Japan', 'Asia', 'Eastern Asia'],
  ['São Paulo', 'State of São Paulo', 'Brazil', 'Americas', 'South America'],
] as const;

/** platform, brand, model, marketing name, operating system, its version */
export const GA4_DEVICES = [
  ['ANDROID', 'Samsung', 'SM-G991B', 'Galaxy S21 5G', 'Android', 'Android 13'],
  ['ANDROID', 'Google', 'Pixel 7', 'Pixel 7', 'Android', 'Android 14'],
  ['IOS', 'Apple', 'iPhone14,5', 'iPhone 13', 'iOS', 'iOS 17.1'],
  ['IOS', 'Apple', 'iPhone12,1', 'iPhone 11', 'iOS', 'iOS 16.6.1'],
] as const;
