import { PassThrough } from 'node:stream';
import { createPrefixedPrinter } from './log-prefix';

const capture = (isTTY: boolean) => {
  const stream = Object.assign(new PassThrough(), { isTTY });
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return { stream, chunks };
};

describe('createPrefixedPrinter', () => {
  it('prefixes each line with its process name, padded to the longest', () => {
    const { stream, chunks } = capture(false);
    const print = createPrefixedPrinter(stream, [
      'local-cloud',
      'profile-updater',
    ]);
    print('local-cloud', 'ready');
    print('profile-updater', 'listening');
    expect(chunks).toEqual([
      'local-cloud     │ ready\n',
      'profile-updater │ listening\n',
    ]);
  });

  it('colours the prefix on a terminal', () => {
    const { stream, chunks } = capture(true);
    createPrefixedPrinter(stream, ['a', 'b'])('b', 'x');
    expect(chunks).toEqual(['\x1b[32mb │\x1b[0m x\n']);
  });
});
