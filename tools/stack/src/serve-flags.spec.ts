import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_NODE_FLAGS } from '@event-pipeline/schema';
import { SERVICE_NAMES } from './stack-projects';
import { WORKSPACE_ROOT } from './workspace';

const serveRuntimeArgs = (service: string): unknown => {
  const project = JSON.parse(
    readFileSync(join(WORKSPACE_ROOT, 'apps', service, 'project.json'), 'utf8'),
  ) as { targets: { serve: { options: { runtimeArgs?: unknown } } } };
  return project.targets.serve.options.runtimeArgs;
};

describe('nx serve', () => {
  it.each(SERVICE_NAMES)(
    'runs %s with the Node flags the stack and Cloud Run give it',
    (service) => {
      expect(serveRuntimeArgs(service)).toEqual(SERVICE_NODE_FLAGS[service]);
    },
  );
});
