import { join, resolve } from 'node:path';

/** The repository root, wherever the command is run from. */
export const WORKSPACE_ROOT = resolve(__dirname, '../../..');

/** The bundle `nx build <project>` writes for a service or a tool. */
export const builtEntry = (project: string): string =>
  project === 'local-cloud'
    ? join(WORKSPACE_ROOT, 'dist/tools/local-cloud/main.js')
    : join(WORKSPACE_ROOT, 'dist/apps', project, 'main.js');
