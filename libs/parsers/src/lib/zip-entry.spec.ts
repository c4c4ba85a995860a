import JSZip from 'jszip';
import { zipOf } from '../testing/parse-fixtures';
import { fixZipEntrySizes, zipEntryFacts } from './zip-entry';

/** The entry's bytes, streamed as the parser streams them. */
const streamed = (file: JSZip.JSZipObject): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    file
      .nodeStream('nodebuffer')
      .on('data', (chunk: Buffer) => parts.push(chunk))
      .on('error', reject)
      .on('end', () => resolve(Buffer.concat(parts)));
  });

type Sizes = { compressedSize: number; uncompressedSize: number };
const sizesOf = (file: JSZip.JSZipObject) =>
  (file as unknown as { _data: Sizes })._data;

describe('fixZipEntrySizes', () => {
  const content = '[{"event_name":"first_open"}]\n'.repeat(50);

  // An entry of 2 GiB or more is too large for a unit test; JSZip's signed
  // read of its sizes is reproduced instead: a size S read as S - 2^32.
  const loadedAsIfSigned = async () => {
    const zip = await JSZip.loadAsync(await zipOf({ 'events.json': content }));
    const file = zip.files['events.json'];
    const sizes = sizesOf(file);
    const truth = { ...sizes };
    sizes.compressedSize -= 2 ** 32;
    sizes.uncompressedSize -= 2 ** 32;
    return { file, truth };
  };

  it('is needed: with a size read as signed, JSZip fails a sound entry at its end', async () => {
    const { file } = await loadedAsIfSigned();
    await expect(streamed(file)).rejects.toThrow(
      'uncompressed data size mismatch',
    );
  });

  it('reads the sizes back as unsigned, so the entry streams whole and its facts are right', async () => {
    const { file, truth } = await loadedAsIfSigned();
    fixZipEntrySizes(file);
    expect(sizesOf(file)).toMatchObject(truth);
    expect(zipEntryFacts(file).compressedSize).toBe(truth.compressedSize);
    await expect(streamed(file)).resolves.toEqual(Buffer.from(content));
  });

  it('leaves sizes that were read right alone', async () => {
    const zip = await JSZip.loadAsync(await zipOf({ 'a.json': content }));
    const file = zip.files['a.json'];
    const before = { ...sizesOf(file) };
    fixZipEntrySizes(file);
    expect(sizesOf(file)).toMatchObject(before);
  });
});
