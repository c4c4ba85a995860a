import {
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { transformFileSync } from '@swc/core';

const WORKSPACE = join(__dirname, '../../..');
const SOURCES = ['libs/schema/src', 'libs/parsers/src', 'libs/parsers/bench'];

const typescriptFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return typescriptFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });

/**
 * Compiles the parsers, the schema and the benchmark to plain JavaScript
 * under the workspace's tmp folder (where node_modules still resolve), so
 * each measured process runs as a service would: no compiler loaded, in the
 * main thread or in the workers. Returns the compiled benchmark folder.
 */
export const buildForBench = (): string => {
  const outDir = join(WORKSPACE, 'tmp/parsers-bench');
  const { compilerOptions } = JSON.parse(
    readFileSync(join(WORKSPACE, 'tsconfig.base.json'), 'utf8'),
  ) as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  for (const file of SOURCES.flatMap((source) =>
    typescriptFiles(join(WORKSPACE, source)),
  )) {
    const { code } = transformFileSync(file, {
      swcrc: false,
      sourceMaps: false,
      module: { type: 'commonjs' },
      jsc: {
        target: 'es2022',
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        baseUrl: WORKSPACE,
        paths: compilerOptions.paths,
      },
    });
    const target = join(outDir, relative(WORKSPACE, file)).replace(
      /\.ts$/,
      '.js',
    );
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, code);
  }
  return join(outDir, 'libs/parsers/bench');
};
