import { JsonTextsBuilder, jsonTextStart, parseJsonTexts } from './json-texts';

describe('JSON texts', () => {
  const values = [{ a: 'é' }, 'x"y', null, [1, { b: '\ud83d\ude00' }]];

  const built = (count = values.length) => {
    const builder = new JsonTextsBuilder<unknown>((w, v) => w.value(v));
    for (const value of values) builder.add(value);
    builder.truncate(count);
    return builder.finish();
  };

  it('lays texts end to end, a comma between, each findable by its end', () => {
    const texts = built();
    expect(Buffer.from(texts.bytes).toString()).toBe(
      values.map((v) => JSON.stringify(v)).join(','),
    );
    values.forEach((value, i) => {
      const text = texts.bytes.subarray(jsonTextStart(texts, i), texts.ends[i]);
      expect(JSON.parse(Buffer.from(text).toString())).toEqual(value);
    });
    expect(parseJsonTexts(texts)).toEqual(values);
  });

  it('drops the texts after a count, and owns its buffers alone', () => {
    const texts = built(2);
    expect(parseJsonTexts(texts)).toEqual(values.slice(0, 2));
    expect(texts.bytes.byteOffset).toBe(0);
    expect(texts.bytes.buffer.byteLength).toBe(texts.bytes.length);
    expect(parseJsonTexts(built(0))).toEqual([]);
  });
});
