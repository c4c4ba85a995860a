import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectInputFiles } from './input-files';

describe('collectInputFiles', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'stack-inputs-'));
    await mkdir(join(root, 'exports/day1'), { recursive: true });
    await mkdir(join(root, 'exports/.cache'), { recursive: true });
    await writeFile(join(root, 'single.csv'), 'abc');
    await writeFile(join(root, 'exports/b.csv'), 'b');
    await writeFile(join(root, 'exports/day1/a.zip'), 'zz');
    await writeFile(join(root, 'exports/.DS_Store'), '');
    await writeFile(join(root, 'exports/notes.txt~'), '');
    await writeFile(join(root, 'exports/.cache/x.csv'), '');
  });

  afterEach(() => rm(root, { recursive: true, force: true }));

  it('takes a file by its name and a folder recursively, folder name included', async () => {
    const files = await collectInputFiles(['single.csv', 'exports'], {
      cwd: root,
    });
    expect(files).toEqual([
      {
        path: join(root, 'single.csv'),
        label: 'single.csv',
        objectName: 'single.csv',
        size: 3,
      },
      {
        path: join(root, 'exports/b.csv'),
        label: 'exports/b.csv',
        objectName: 'exports/b.csv',
        size: 1,
      },
      {
        path: join(root, 'exports/day1/a.zip'),
        label: 'exports/day1/a.zip',
        objectName: 'exports/day1/a.zip',
        size: 2,
      },
    ]);
  });

  it('puts the inbox prefix first and labels files relative to the working folder', async () => {
    const files = await collectInputFiles([join(root, 'exports/day1')], {
      prefix: 'uploads/',
      cwd: join(root, 'exports'),
    });
    expect(
      files.map(({ label, objectName }) => ({ label, objectName })),
    ).toEqual([{ label: 'day1/a.zip', objectName: 'uploads/day1/a.zip' }]);
  });

  it('refuses a missing path, an empty selection and two files with one object name', async () => {
    await expect(
      collectInputFiles(['nope.csv'], { cwd: root }),
    ).rejects.toThrow('No such file or folder: nope.csv');
    await mkdir(join(root, 'empty/.hidden'), { recursive: true });
    await writeFile(join(root, 'empty/.hidden/x.csv'), '');
    await expect(collectInputFiles(['empty'], { cwd: root })).rejects.toThrow(
      'No files to ingest in empty',
    );
    await mkdir(join(root, 'other'));
    await writeFile(join(root, 'other/b.csv'), 'b');
    await expect(
      collectInputFiles(['exports/b.csv', 'other/b.csv'], { cwd: root }),
    ).rejects.toThrow(/same name.*exports\/b\.csv and other\/b\.csv/);
  });
});
