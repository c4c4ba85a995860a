import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';

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

/**
 * Turns a decoded message body into an instance of its DTO and validates it.
 * Properties the DTO does not declare are kept: producers may add fields
 * (Cloud Storage's object resource has dozens) without breaking consumers.
 */
export const validateMessage = <T extends object>(
  dto: Constructor<T>,
  body: unknown,
): MessageValidation<T> => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, errors: ['message body must be a JSON object'] };
  }
  const value = plainToInstance(dto, body);
  const errors = validateSync(value, { forbidUnknownValues: true });
  return errors.length === 0
    ? { ok: true, value }
    : { ok: false, errors: flatten(errors) };
};
