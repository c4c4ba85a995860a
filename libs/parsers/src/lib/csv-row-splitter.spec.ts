import { CsvRowSplitter, OversizedRow } from './csv-row-splitter';

interface Split {
  rows: { line: number; text: string; breakLength: number }[];
  oversized: { line: number; bytes: number; head: string }[];
}

const split = (
  text: string | Buffer,
  chunkSize: number,
  maxRowBytes = 1024,
): Split => {
  const result: Split = { rows: [], oversized: [] };
  const splitter = new CsvRowSplitter(
    {
      row: (buf, start, end, breakLength, line) =>
        result.rows.push({
          line,
          text: buf.toString('utf8', start, end),
          breakLength,
        }),
      oversizedRow: (row: OversizedRow) =>
        result.oversized.push({
          line: row.line,
          bytes: row.bytes,
          head: row.head.toString('utf8'),
        }),
    },
    maxRowBytes,
  );
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  for (let i = 0; i < bytes.length; i += chunkSize) {
    splitter.push(bytes.subarray(i, i + chunkSize));
  }
  splitter.end();
  return result;
};

const CHUNK_SIZES = [1, 2, 3, 5, 7, 64, 1 << 20];

describe('CsvRowSplitter', () => {
  it.each(CHUNK_SIZES)(
    'finds rows and their lines in chunks of %i bytes',
    (size) => {
      const csv = 'a,b,c\n1,"x\ny",3\n\n4,"q""uote, and comma",6\n7,8,9';
      expect(split(csv, size).rows).toEqual([
        { line: 1, text: 'a,b,c', breakLength: 1 },
        { line: 2, text: '1,"x\ny",3', breakLength: 1 },
        { line: 5, text: '4,"q""uote, and comma",6', breakLength: 1 },
        { line: 6, text: '7,8,9', breakLength: 0 },
      ]);
    },
  );

  it.each(CHUNK_SIZES)(
    'drops a BOM and CRLF line ends in chunks of %i bytes',
    (size) => {
      const csv = '\ufeffa,b\r\n"1\r\n2",3\r\n4,5\r\n';
      expect(split(csv, size).rows).toEqual([
        { line: 1, text: 'a,b', breakLength: 2 },
        { line: 2, text: '"1\r\n2",3', breakLength: 2 },
        { line: 4, text: '4,5', breakLength: 2 },
      ]);
    },
  );

  it('keeps a BOM that is not at the start of the file', () => {
    expect(split('a\n\ufeffb\n', 1).rows.map((r) => r.text)).toEqual([
      'a',
      '\ufeffb',
    ]);
  });

  it('reads a quote inside an unquoted field as data, as papaparse does', () => {
    expect(split('a,5" screen,c\nd,e,f\n', 1).rows.map((r) => r.text)).toEqual([
      'a,5" screen,c',
      'd,e,f',
    ]);
  });

  it.each(CHUNK_SIZES)(
    'tells an escaped quote from a closing one across chunks of %i bytes',
    (size) => {
      const csv = 'a,"x""\ny"\nb,"z"\n';
      expect(split(csv, size).rows.map((r) => [r.line, r.text])).toEqual([
        [1, 'a,"x""\ny"'],
        [3, 'b,"z"'],
      ]);
    },
  );

  it('skips blank lines but counts them', () => {
    expect(
      split('\n\na\n\r\n\nb', 3).rows.map((r) => [r.line, r.text]),
    ).toEqual([
      [3, 'a'],
      [6, 'b'],
    ]);
  });

  it.each(CHUNK_SIZES)(
    'reports a row over the limit without holding it, in chunks of %i bytes',
    (size) => {
      const long = 'x'.repeat(50);
      const csv = `a,b\n${long},1\nc,d\n"${long}\n${long}",2\ne,f\n`;
      const result = split(csv, size, 40);
      expect(result.rows.map((r) => [r.line, r.text])).toEqual([
        [1, 'a,b'],
        [3, 'c,d'],
        [6, 'e,f'],
      ]);
      // Row 4's quoted field is still open past the limit: skipped to the next
      // line break, so its second line is a row of its own (and too long too).
      expect(result.oversized.map((r) => r.line)).toEqual([2, 4, 5]);
      expect(result.oversized[0].bytes).toBeGreaterThan(40);
      expect(result.oversized[0].head.startsWith('xxxx')).toBe(true);
    },
  );

  it('skips an oversized row to its next line break even inside quotes', () => {
    const result = split(`a\n"${'x'.repeat(100)}\nb,c\n`, 8, 40);
    expect(result.oversized.map((r) => r.line)).toEqual([2]);
    expect(result.rows.map((r) => [r.line, r.text])).toEqual([
      [1, 'a'],
      [3, 'b,c'],
    ]);
  });

  it('ends a row at its first line when its quote never closes, and reads on', () => {
    const csv = 'h1,h2\n1,"broken\n2,ok\n3,ok';
    for (const size of CHUNK_SIZES) {
      expect(split(csv, size).rows.map((r) => [r.line, r.text])).toEqual([
        [1, 'h1,h2'],
        [2, '1,"broken'],
        [3, '2,ok'],
        [4, '3,ok'],
      ]);
    }
  });

  it('ends a row at its first line when an open quote reaches the limit', () => {
    const rows = Array.from({ length: 20 }, (_, i) => `${i},ok`).join('\n');
    const result = split(`h\n1,"broken\n${rows}\n`, 16, 64);
    expect(result.rows[1]).toEqual({
      line: 2,
      text: '1,"broken',
      breakLength: 1,
    });
    expect(result.rows.slice(2).map((r) => r.line)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 3),
    );
    expect(result.oversized).toEqual([]);
  });

  it('holds no more than the limit plus a chunk for a file without line breaks', () => {
    const splitter = new CsvRowSplitter(
      { row: () => undefined, oversizedRow: () => undefined },
      1000,
    );
    const chunk = Buffer.alloc(4096, 'y');
    for (let i = 0; i < 1000; i++) splitter.push(chunk);
    const carry = (splitter as unknown as { carry: Buffer }).carry;
    expect(carry.length).toBeLessThanOrEqual(1000 + chunk.length);
  });

  it('decides the limit by content alone, whatever the chunking', () => {
    const csv = Buffer.from(
      [
        'h',
        `1,"${'q'.repeat(30)}\n${'q'.repeat(30)}"`,
        `2,"${'r'.repeat(15)}\n${'r'.repeat(15)}"`,
        `3,${'s'.repeat(41)}`,
        `4,${'t'.repeat(38)}`,
        '5,"open',
        '6,x',
      ].join('\r\n'),
    );
    const reference = split(csv, csv.length, 40);
    // Row 1's open quote spans a line and passes the limit: cut at its first
    // line. Row 2 spans two lines within the limit. Row 3 is over it. Row 5's
    // quote never closes: cut at its first line at the end of input.
    expect(reference.rows.map((r) => r.line)).toEqual([1, 2, 3, 4, 7, 8, 9]);
    expect(reference.rows[1].text).toBe(`1,"${'q'.repeat(30)}`);
    expect(reference.rows[3].text).toBe(
      `2,"${'r'.repeat(15)}\n${'r'.repeat(15)}"`,
    );
    expect(reference.oversized.map((r) => r.line)).toEqual([6]);
    for (const size of CHUNK_SIZES) {
      expect(split(csv, size, 40)).toEqual(reference);
    }
  });

  it('keeps multi-byte characters whole whatever the chunk size', () => {
    const csv = 'naïve,日本語\n"ü,é",😀\n';
    for (const size of CHUNK_SIZES) {
      expect(split(csv, size).rows.map((r) => r.text)).toEqual([
        'naïve,日本語',
        '"ü,é",😀',
      ]);
    }
  });
});
