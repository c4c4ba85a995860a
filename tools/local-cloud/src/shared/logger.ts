/**
 * A small leveled logger for the local emulators: one line per record on
 * stderr, so it never mixes with anything a tool prints on stdout.
 */

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that prefixes every line with `scope`, at the same level. */
  child(scope: string): Logger;
}

export interface LoggerOptions {
  /** Shown in brackets at the start of each line, e.g. `storage`. */
  scope?: string;
  /** Defaults to `LOG_LEVEL` from the environment, else `info`. */
  level?: LogLevel;
  /** Where lines go; defaults to stderr. */
  write?: (line: string) => void;
}

export const parseLogLevel = (raw: string | undefined): LogLevel => {
  const value = (raw ?? '').trim().toLowerCase();
  if (value === '') return 'info';
  if ((LOG_LEVELS as readonly string[]).includes(value)) {
    return value as LogLevel;
  }
  throw new Error(
    `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, found ${JSON.stringify(raw)}`,
  );
};

const formatValue = (value: unknown): string => {
  if (value instanceof Error) return JSON.stringify(value.message);
  if (typeof value === 'string' && /^[\w./:@-]*$/.test(value)) return value;
  return JSON.stringify(value) ?? String(value);
};

const formatFields = (fields: LogFields | undefined): string =>
  fields
    ? Object.entries(fields)
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => ` ${key}=${formatValue(value)}`)
        .join('')
    : '';

export const createLogger = (options: LoggerOptions = {}): Logger => {
  const level = options.level ?? parseLogLevel(process.env['LOG_LEVEL']);
  const threshold = LOG_LEVELS.indexOf(level);
  const write =
    options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const prefix = options.scope ? ` [${options.scope}]` : '';
  const log =
    (recordLevel: Exclude<LogLevel, 'silent'>) =>
    (message: string, fields?: LogFields) => {
      if (LOG_LEVELS.indexOf(recordLevel) < threshold) return;
      write(
        `${new Date().toISOString()} ${recordLevel.toUpperCase().padEnd(5)}${prefix} ${message}${formatFields(fields)}`,
      );
    };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (scope) =>
      createLogger({
        level,
        write,
        scope: options.scope ? `${options.scope}:${scope}` : scope,
      }),
  };
};
