/**
 * CRC-32C (Castagnoli), the checksum Cloud Storage reports as `crc32c`.
 * Node's zlib.crc32 is the IEEE polynomial, a different checksum, so this
 * one is computed here with slicing-by-8 tables.
 */

const POLYNOMIAL = 0x82f63b78; // reflected 0x1EDC6F41

const TABLES: Uint32Array[] = (() => {
  const tables = Array.from({ length: 8 }, () => new Uint32Array(256));
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLYNOMIAL : c >>> 1;
    tables[0][n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    for (let t = 1; t < 8; t++) {
      const previous = tables[t - 1][n];
      tables[t][n] = (tables[0][previous & 0xff] ^ (previous >>> 8)) >>> 0;
    }
  }
  return tables;
})();

const [T0, T1, T2, T3, T4, T5, T6, T7] = TABLES;

/** Continues a CRC-32C over `data`; start with 0 for a new checksum. */
export const crc32cUpdate = (crc: number, data: Uint8Array): number => {
  let c = ~crc >>> 0;
  let i = 0;
  const fastEnd = data.length - (data.length % 8);
  for (; i < fastEnd; i += 8) {
    const low =
      (c ^
        (data[i] |
          (data[i + 1] << 8) |
          (data[i + 2] << 16) |
          (data[i + 3] << 24))) >>>
      0;
    c =
      T7[low & 0xff] ^
      T6[(low >>> 8) & 0xff] ^
      T5[(low >>> 16) & 0xff] ^
      T4[low >>> 24] ^
      T3[data[i + 4]] ^
      T2[data[i + 5]] ^
      T1[data[i + 6]] ^
      T0[data[i + 7]];
  }
  for (; i < data.length; i++) c = T0[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
};

export const crc32c = (data: Uint8Array): number => crc32cUpdate(0, data);

/** The form Cloud Storage uses: base64 of the big-endian 4 bytes. */
export const crc32cToBase64 = (crc: number): string => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(crc >>> 0);
  return bytes.toString('base64');
};
