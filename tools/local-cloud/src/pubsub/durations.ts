import { invalidArgument } from './api-error';
import type { Duration, Timestamp } from './protos';


/** Milliseconds of a protobuf Duration; `undefined` when it is not set. */
export const durationToMs = (
  duration: Duration | null | undefined,
): number | undefined => {
  if (!duration) return undefined;
  return Number(duration.seconds ?? 0) * 1000 + (duration.nanos ?? 0) / 1e6;
};

export const msToDuration = (ms: number): Duration => ({
  seconds: Math.floor(ms / 1000),
  nanos: Math.round((ms % 1000) * 1e6),
});

export const msToTimestamp = (ms: number): Timestamp => msToDuration(ms);

/** A Duration checked against a range, in milliseconds, or the fallback. */
export const durationInRange = (
  field: string,
  duration: Duration | null | undefined,
  range: { min: number; max: number; fallback: number },
): number => {
  const ms = durationToMs(duration);
  if (ms === undefined) return range.fallback;
  if (!(ms >= range.min && ms <= range.max)) {
    throw invalidArgument(
      `${field} must be between ${range.min / 1000}s and ${range.max / 1000}s, found ${ms / 1000}s`,
    );
  }
  return ms;
};
