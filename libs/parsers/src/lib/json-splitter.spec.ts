import {
  JsonSplitter,
  JsonStructureProblem,
  OversizedElement,
} from './json-splitter';

interface Split {
  elements: { index: number; line: number; text: string }[];
  oversized: Omit<OversizedElement, 'head'>[];
  problems: JsonStructureProblem[];
}

const split = (
  input: string | Buffer,
  chunkSize: number,
  maxElementBytes = 1 << 20,
): Split => {
  const result: Split = { elements: [], oversized: [], problems: [] };
  const splitter = new JsonSplitter(
    {
      element: (buf, start, end, index, line) =>
        result.elements.push({
          index,
          line,
          text: buf.toString('utf8', start, end),
        }),
      oversizedElement: ({ head, ...element }) => {
        expect(head.length).toBeLessThanOrEqual(4096);
        result.oversized.push(element);
      },
    },
    maxElementBytes,
  );
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  for (let i = 0; i < bytes.length; i += chunkSize) {
    splitter.push(bytes.subarray(i, i + chunkSize));
  }
  splitter.end();
  result.problems = splitter.takeProblems();
  return result;
};

const CHUNK_SIZES = [1, 2, 3, 7, 64, 1 << 20];

const texts = (result: Split) => result.elements.map((e) => e.text);

describe('JsonSplitter', () => {
  describe('a top-level array', () => {
    it.each(CHUNK_SIZES)(
      'splits a pretty-printed array in chunks of %i bytes',
      (size) => {
        const events = [{ a: 1, b: [1, 2, { c: '}' }] }, { d: 'x' }, {}];
        const result = split(JSON.stringify(events, null, '\t'), size);
        expect(texts(result).map((t) => JSON.parse(t))).toEqual(events);
        expect(result.elements.map((e) => e.index)).toEqual([0, 1, 2]);
        expect(result.elements.map((e) => e.line)).toEqual([0, 0, 0]);
        expect(result.problems).toEqual([]);
      },
    );

    it.each(CHUNK_SIZES)(
      'reads brackets, escaped quotes and backslashes inside strings as data, in chunks of %i bytes',
      (size) => {
        const tricky = [
          { s: '[{"not": "an element"}]' },
          { s: 'quote \\" and \\\\', t: '\\' },
          { s: '}}}]]]', u: '"' },
          { s: '\\\\"' },
        ];
        const result = split(
          `[${tricky.map((e) => JSON.stringify(e)).join(',')}]`,
          size,
        );
        expect(texts(result).map((t) => JSON.parse(t))).toEqual(tricky);
      },
    );

    it.each(CHUNK_SIZES)(
      'keeps multi-byte UTF-8 whole across chunks of %i bytes',
      (size) => {
        const events = [
          { city: 'İstanbul', name: 'Ünïcødé 😀 日本' },
          { k: '€' },
        ];
        const result = split(`\ufeff${JSON.stringify(events)}`, size);
        expect(texts(result).map((t) => JSON.parse(t))).toEqual(events);
      },
    );

    it('splits elements that are not objects, to be rejected one by one', () => {
      const result = split(
        '[1, "two", true, null, [3], -4.5e2, }, {"ok": 1}]',
        3,
      );
      expect(texts(result)).toEqual([
        '1',
        '"two"',
        'true',
        'null',
        '[3]',
        '-4.5e2',
        '}',
        '{"ok": 1}',
      ]);
      expect(result.problems).toEqual([]);
    });

    it('gives an empty array no elements', () => {
      expect(split(' [ \n ] \n', 1)).toEqual({
        elements: [],
        oversized: [],
        problems: [],
      });
    });

    it.each(CHUNK_SIZES)(
      'reports an array cut inside an element, keeping the elements before, in chunks of %i bytes',
      (size) => {
        const result = split('[{"a": 1}, {"b": 2}, {"c": [3, ', size);
        expect(texts(result)).toEqual(['{"a": 1}', '{"b": 2}']);
        expect(result.problems).toEqual([
          expect.objectContaining({ code: 'TRUNCATED_JSON', index: 2 }),
        ]);
        expect(result.problems[0].message).toContain('ends inside element 2');
      },
    );

    it('reports an array that is never closed', () => {
      const result = split('[{"a": 1},\n', 4);
      expect(texts(result)).toEqual(['{"a": 1}']);
      expect(result.problems).toEqual([
        expect.objectContaining({ code: 'TRUNCATED_JSON', index: 1 }),
      ]);
    });

    it('reports content after the closing bracket once', () => {
      const result = split('[{"a": 1}] [{"b": 2}] junk', 5);
      expect(texts(result)).toEqual(['{"a": 1}']);
      expect(result.problems).toEqual([
        expect.objectContaining({ code: 'MALFORMED_JSON', index: 1 }),
      ]);
    });

    it.each(CHUNK_SIZES)(
      'skips an element over the limit without holding it, in chunks of %i bytes',
      (size) => {
        const big = { s: 'x'.repeat(300), nested: [{ '}': ']' }] };
        const result = split(
          JSON.stringify([{ a: 1 }, big, { b: 2 }]),
          size,
          100,
        );
        expect(texts(result)).toEqual(['{"a":1}', '{"b":2}']);
        expect(result.elements.map((e) => e.index)).toEqual([0, 2]);
        expect(result.oversized).toEqual([
          { index: 1, line: 0, bytes: JSON.stringify(big).length, limit: 100 },
        ]);
      },
    );
  });

  it('holds nothing of an element once it is over the limit', () => {
    let oversized = 0;
    const splitter = new JsonSplitter(
      { element: () => undefined, oversizedElement: () => oversized++ },
      1000,
    );
    splitter.push(Buffer.from('[{"s": "'));
    const chunk = Buffer.alloc(4096, 'y');
    for (let i = 0; i < 1000; i++) splitter.push(chunk);
    const held = (splitter as unknown as { parts: Buffer[] }).parts;
    expect(held).toEqual([]);
    splitter.push(Buffer.from('"}, {}]'));
    splitter.end();
    expect(oversized).toBe(1);
  });

  describe('NDJSON', () => {
    it.each(CHUNK_SIZES)(
      'splits lines, skipping blank ones and counting lines, in chunks of %i bytes',
      (size) => {
        const result = split('\n{"a": "[1"}\r\n\n  \n{"b": 2}\n{"c": 3}', size);
        expect(result.elements).toEqual([
          { index: 0, line: 2, text: '{"a": "[1"}\r' },
          { index: 1, line: 5, text: '{"b": 2}' },
          { index: 2, line: 6, text: '{"c": 3}' },
        ]);
        expect(result.problems).toEqual([]);
      },
    );

    it('hands over broken lines as elements, for the parser to reject one by one', () => {
      const result = split('{"a": 1\n{"b": 2}\nnot json\n', 4);
      expect(texts(result)).toEqual(['{"a": 1', '{"b": 2}', 'not json']);
    });

    it.each(CHUNK_SIZES)(
      'skips a line over the limit, in chunks of %i bytes',
      (size) => {
        const result = split(
          `{"a": 1}\n{"s": "${'y'.repeat(200)}"}\n{"b": 2}\n`,
          size,
          100,
        );
        expect(result.elements.map((e) => [e.index, e.line])).toEqual([
          [0, 1],
          [2, 3],
        ]);
        expect(result.oversized).toEqual([
          { index: 1, line: 2, bytes: 209, limit: 100 },
        ]);
      },
    );
  });

  it('is fast enough to matter: 40 MB of pretty-printed events well under a second', () => {
    const event = JSON.stringify(
      {
        name: 'screen_view',
        params: [{ key: 'k', value: { s: 'v"}]', i: 12 } }],
        geo: { city: 'x' },
      },
      null,
      '\t',
    );
    const chunk = Buffer.from(`,\n${Array(16_000).fill(event).join(',\n')}`);
    let count = 0;
    const splitter = new JsonSplitter(
      { element: () => count++, oversizedElement: () => undefined },
      1 << 20,
    );
    const started = process.hrtime.bigint();
    const rounds = Math.ceil(40e6 / chunk.length);
    splitter.push(Buffer.from('['));
    for (let i = 0; i < rounds; i++) splitter.push(chunk);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    expect(count).toBe(rounds * 16_000);
    expect(seconds).toBeLessThan(1);
  });
});
