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
