import { ArrayMaxSize, IsArray, ValidateBy } from 'class-validator';
import { RowCheck } from '../row-check';

/** Per DTO class, its properties that hold rows. */
const ROW_ARRAYS = new WeakMap<object, readonly string[]>();

/**
 * An array of at most `maxRows` rows, each checked by a row check rather
 * than by a DTO instance per row: class-validator is for message
 * envelopes, not for a thousand rows. The array is also kept out of
 * class-transformer's copy of the message, which would deep-copy every row
 * and its nested objects (a tenth of the event-streamer's CPU), and reaches
 * the handler as it arrived.
 */
export const RowArray =
  (check: RowCheck, maxRows: number): PropertyDecorator =>
  (target, key) => {
    const property = String(key);
    ROW_ARRAYS.set(target.constructor, [
      ...rowArrayProperties(target.constructor),
      property,
    ]);
    IsArray()(target, key);
    ArrayMaxSize(maxRows)(target, key);
    let problem = '';
    ValidateBy({
      name: 'rows',
      validator: {
        validate(rows: unknown): boolean {
          problem = '';
          // Anything but an array is IsArray's to report.
          if (!Array.isArray(rows)) return true;
          for (let i = 0; i < rows.length; i++) {
            const found = check(rows[i]);
            if (found !== null) {
              const row = `${property}[${i}]`;
              problem = found.startsWith('expected ')
                ? `${row}: ${found}`
                : `${row}.${found}`;
              return false;
            }
          }
          return true;
        },
        defaultMessage: () => problem,
      },
    })(target, key);
  };

/** The properties of a DTO class declared with `@RowArray`. */
export const rowArrayProperties = (dto: object): readonly string[] =>
  ROW_ARRAYS.get(dto) ?? [];
