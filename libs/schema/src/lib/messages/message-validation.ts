import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { rowArrayProperties } from './row-array';

type Constructor<T> = new () => T;

export type MessageValidation<T> =
  | { ok: true; value: T }
  | { ok: false; errors: string[] };

const flatten = (errors: ValidationError[], path = ''): string[] =>
  errors.flatMap((error) => {
    const at = path ? `${path}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map(
      (m) => `${at}: ${m}`,
    );
    return [...own, ...flatten(error.children ?? [], at)];
  });

/** A shallow copy of `fields` without `properties`. */
const without = (
  fields: Record<string, unknown>,
  properties: readonly string[],
): Record<string, unknown> => {
  const copy = { ...fields };
  for (const property of properties) delete copy[property];
  return copy;
};

/**
 * Turns a decoded message body into an instance of its DTO and validates it.
 * Properties the DTO does not declare are kept: producers may add fields
 * (Cloud Storage's object resource has dozens) without breaking consumers.
 * Arrays of rows (`@RowArray`) are set on the instance as they arrived.
 */
export const validateMessage = <T extends object>(
  dto: Constructor<T>,
  body: unknown,
): MessageValidation<T> => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, errors: ['message body must be a JSON object'] };
  }
  const rows = rowArrayProperties(dto);
  const fields = body as Record<string, unknown>;
  const value = plainToInstance(
    dto,
    rows.length === 0 ? body : without(fields, rows),
  );
  for (const property of rows) {
    if (Object.hasOwn(fields, property)) {
      (value as Record<string, unknown>)[property] = fields[property];
    }
  }
  const errors = validateSync(value, { forbidUnknownValues: true });
  return errors.length === 0
    ? { ok: true, value }
    : { ok: false, errors: flatten(errors) };
};
