/**
 * Sets an own property, even one named `__proto__`, which plain assignment
 * would take as the object's prototype: keys here come from the data.
 */
export const setOwn = (
  target: Record<string, unknown>,
  key: string,
  value: unknown,
): void => {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
};

/** A short JSON rendering of a found value, for error messages. */
export const describeValue = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};
