import { AdaptyColumns } from './adapty-columns';
import { csvFieldSpans } from './csv-field-spans';
import { setOwn } from './json-object';
import { JsonWriter, OwnJson } from './json-writer';

/** Where a row lies in its batch's bytes; `bytes` is null unless they are all ASCII. */
export interface RowBytes {
  bytes: Uint8Array | null;
  start: number;
  end: number;
}

/** Each column's key with its quotes and colon, as the first key (after `{`) and as a later one. */
interface ParameterKeys {
  first: Uint8Array[];
  next: Uint8Array[];
}

const keysOfColumns = new WeakMap<AdaptyColumns, ParameterKeys>();

const parameterKeys = (columns: AdaptyColumns): ParameterKeys => {
  let keys = keysOfColumns.get(columns);
  if (keys === undefined) {
    const key = (name: string) => JSON.stringify(name) + ':';
    keys = {
      first: columns.names.map((name) => Buffer.from(`{${key(name)}`)),
      next: columns.names.map((name) => Buffer.from(`,${key(name)}`)),
    };
    keysOfColumns.set(columns, keys);
  }
  return keys;
};

const EMPTY_OBJECT = Buffer.from('{}');
const CLOSE = Buffer.from('}');
const QUOTE = 0x22;

/**
 * The event_parameters of an Adapty row: every column that is not mapped to
 * a column of its own and is not blank, as found, but the user id column the
 * row's id came from. Written as JSON straight from the row's bytes when
 * they are ASCII (almost every export is), so that the characters of some
 * ten values a row are never read as strings; from papaparse's texts
 * otherwise. `toJSON` gives the same object for anything else that writes
 * or reads it.
 */
export class AdaptyParameters extends OwnJson {
  constructor(
    private readonly fields: readonly string[],
    private readonly columns: AdaptyColumns,
    private readonly userIdColumn: number,
    private readonly row: RowBytes,
  ) {
    super();
  }

  toJSON(): Record<string, string> {
    const parameters: Record<string, string> = {};
    for (const index of this.columns.parameters) {
      if (this.holds(index)) {
        setOwn(parameters, this.columns.names[index], this.fields[index]);
      }
    }
    return parameters;
  }

  writeJson(w: JsonWriter): void {
    const { fields, row } = this;
    const keys = parameterKeys(this.columns);
    const spans =
      row.bytes === null
        ? null
        : csvFieldSpans(fields, row.bytes, row.start, row.end);
    let written = 0;
    for (const index of this.columns.parameters) {
      if (!this.holds(index)) continue;
      const key = written++ === 0 ? keys.first[index] : keys.next[index];
      if (spans === null || row.bytes === null) {
        w.string(fields[index], key);
      } else {
        const start = spans[2 * index];
        const end = spans[2 * index + 1];
        const quoted = row.bytes[start] === QUOTE;
        w.asciiBytes(
          row.bytes,
          quoted ? start + 1 : start,
          quoted ? end - 1 : end,
          quoted,
          key,
        );
      }
    }
    w.raw(written === 0 ? EMPTY_OBJECT : CLOSE);
  }

  private holds(index: number): boolean {
    return index !== this.userIdColumn && this.fields[index].trim() !== '';
  }
}
