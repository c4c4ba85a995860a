import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { STACK_PROJECTS } from './stack-projects';
import { WORKSPACE_ROOT } from './workspace';

/** The Nx command line of the workspace, from its package's `bin`. */
const nxCli = (): string => {
  const manifest = require.resolve('nx/package.json', {
    paths: [WORKSPACE_ROOT],
  });
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as {
    bin: { nx: string };
  };
  return join(dirname(manifest), bin.nx);
};

/**
 * `nx run-many -t build` of the stack's projects, its output on stderr.
 * Nx restores unchanged builds from its cache, so this is quick after the
 * first time.
 */
export const buildStack = (): Promise<void> => {
  const args = [
    nxCli(),
    'run-many',
    '-t',
    'build',
    '-p',
    STACK_PROJECTS.join(','),
  ];
  return new Promise((resolve, reject) => {
    const nx = spawn(process.execPath, args, {
      cwd: WORKSPACE_ROOT,
      // The terminal UI would take over the screen the stack logs to.
      env: { ...process.env, NX_TUI: 'false' },
      stdio: ['ignore', process.stderr, process.stderr],
    });
    nx.once('error', reject);
    nx.once('close', (code, signal) =>
      code === 0
        ? resolve()
        : reject(
            new Error(
              `the build failed (nx ${args.slice(1).join(' ')}: ${signal ?? `exit code ${code}`}); its output is above`,
            ),
          ),
    );
  });
};

/**
 * The build before the integration and end-to-end tests, skipped when they
 * run as an Nx task: the test target's `dependsOn` has built the bundles,
 * and a nested Nx run of the same builds is refused by Nx when its cache is
 * skipped.
 */
export const buildStackForTests = async (): Promise<void> => {
  if (process.env['NX_TASK_TARGET_PROJECT'] === undefined) await buildStack();
};
