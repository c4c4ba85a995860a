/** Milliseconds of a positive number of seconds given as text; `source` names it in the error. */
export const positiveSeconds = (raw: string, source: string): number => {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw new Error(
      `${source} must be a positive number of seconds, found ${JSON.stringify(raw)}`,
    );
  }
  return value * 1000;
};
