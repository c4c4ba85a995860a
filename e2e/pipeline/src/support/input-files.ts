import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Writes a generated input under `dir` (created if needed); returns its path. */
export const writeInput = async (
  dir: string,
  name: string,
  content: string | Buffer,
): Promise<string> => {
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
};
