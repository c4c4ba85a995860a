import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';

export interface InputFile {
  /** Absolute path. */
  path: string;
  /** The path as shown to the user: relative to the working folder. */
  label: string;
  /** The object name in the inbox bucket. */
  objectName: string;
  size: number;
}

/** Dot-files and editor backups (`name~`) are not inputs, as in the drop folder. */
const isHidden = (name: string) => name.startsWith('.') || name.endsWith('~');

const filesUnder = async (folder: string): Promise<string[]> => {
  const entries = await readdir(folder, { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .filter((entry) => !isHidden(entry.name))
      .map(async (entry) => {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) return filesUnder(path);
        return entry.isFile() ? [path] : [];
      }),
  );
  return nested.flat().sort();
};

/**
 * The files to upload: each file given, and every file under each folder
 * given (recursively). Like `gcloud storage cp -r`, a file keeps its name
 * and a folder's files keep their path from the folder, folder name
 * included: `ingest exports/` uploads `exports/day1/a.zip`. `prefix`
 * (the inbox prefix) comes first. Throws on a missing path, on no file at
 * all, and on two files that would get the same object name.
 */
export const collectInputFiles = async (
  paths: readonly string[],
  { prefix = '', cwd = process.cwd() }: { prefix?: string; cwd?: string } = {},
): Promise<InputFile[]> => {
  const files: InputFile[] = [];
  for (const given of paths) {
    const path = resolve(cwd, given);
    const found = await stat(path).catch(() => undefined);
    if (!found) throw new Error(`No such file or folder: ${given}`);
    const parent = resolve(path, '..');
    const members = found.isDirectory() ? await filesUnder(path) : [path];
    for (const member of members) {
      files.push({
        path: member,
        label: relative(cwd, member),
        objectName: prefix + relative(parent, member).split(/[\\/]/).join('/'),
        size: (await stat(member)).size,
      });
    }
  }
  if (files.length === 0) {
    throw new Error(`No files to ingest in ${paths.join(', ')}`);
  }
  const byName = new Map<string, InputFile[]>();
  for (const file of files) {
    byName.set(file.objectName, [...(byName.get(file.objectName) ?? []), file]);
  }
  const clashes = [...byName.values()].filter((group) => group.length > 1);
  if (clashes.length > 0) {
    throw new Error(
      `These files would be uploaded under the same name, each upload replacing the previous one before it is read: ${clashes
        .map((group) => group.map((file) => file.label).join(' and '))
        .join('; ')}`,
    );
  }
  return files;
};
