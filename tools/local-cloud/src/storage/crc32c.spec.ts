import { randomBytes } from 'node:crypto';
import { CRC32C } from '@google-cloud/storage';
import { crc32c, crc32cToBase64, crc32cUpdate } from './crc32c';

describe('crc32c', () => {
  // Vectors from RFC 3720 (iSCSI), appendix B.4, and the usual check value.
  it.each([
    ['empty', Buffer.alloc(0), 0x00000000],
    ['check string', Buffer.from('123456789'), 0xe3069283],
    ['32 zero bytes', Buffer.alloc(32, 0x00), 0x8a9136aa],
    ['32 0xff bytes', Buffer.alloc(32, 0xff), 0x62a8ab43],
    [
      '32 ascending bytes',
      Buffer.from(Array.from({ length: 32 }, (_, i) => i)),
      0x46dd794e,
    ],
    [
      '32 descending bytes',
      Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)),
      0x113fdb5c,
    ],
  ])('matches the known value for %s', (_name, data, expected) => {
    expect(crc32c(data)).toBe(expected);
  });

  it('gives the same value when fed in pieces of any size', () => {
    const data = randomBytes(10_007);
    let crc = 0;
    for (let offset = 0; offset < data.length; offset += 13) {
      crc = crc32cUpdate(crc, data.subarray(offset, offset + 13));
    }
    expect(crc).toBe(crc32c(data));
  });

  it('encodes as the official client does', () => {
    const data = randomBytes(4_099);
    const reference = new CRC32C();
    reference.update(data);
    expect(crc32cToBase64(crc32c(data))).toBe(reference.toString());
  });
});
