import { parseContentRange, parseRange } from './byte-range';

describe('parseRange', () => {
  it.each([
    ['bytes=0-9', { start: 0, end: 9 }],
    ['bytes=10-', { start: 10, end: 99 }],
    ['bytes=-5', { start: 95, end: 99 }],
    ['bytes=-500', { start: 0, end: 99 }],
    ['bytes=90-500', { start: 90, end: 99 }],
  ])('reads %s over 100 bytes', (header, expected) => {
    expect(parseRange(header, 100)).toEqual(expected);
  });

  it.each([undefined, 'bytes=0-1,5-6', 'items=0-1', 'bytes=-'])(
    'serves the whole object for %s',
    (header) => {
      expect(parseRange(header, 100)).toBeUndefined();
    },
  );

  it('refuses a range past the end with 416', () => {
    expect(() => parseRange('bytes=100-', 100)).toThrow(
      expect.objectContaining({ status: 416 }),
    );
  });
});

describe('parseContentRange', () => {
  it.each([
    ['bytes 0-99/*', { start: 0, end: 99, total: undefined }],
    ['bytes 100-199/200', { start: 100, end: 199, total: 200 }],
    ['bytes 0-*/*', { start: 0, end: undefined, total: undefined }],
    ['bytes 5-*/40', { start: 5, end: undefined, total: 40 }],
    ['bytes */*', { start: undefined, end: undefined, total: undefined }],
    ['bytes */300', { start: undefined, end: undefined, total: 300 }],
  ])('reads %s', (header, expected) => {
    expect(parseContentRange(header)).toEqual(expected);
  });

  it('refuses nonsense with 400', () => {
    expect(() => parseContentRange('bytes 1-')).toThrow(
      expect.objectContaining({ status: 400 }),
    );
  });
});
