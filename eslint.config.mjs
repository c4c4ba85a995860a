import nx from '@nx/eslint-plugin';

// Libraries that must stay pure: no framework, no cloud client, no database.
const bannedInPureLibs = [
  '@nestjs/*',
  '@google-cloud/*',
  '@grpc/*',
  'better-sqlite3',
];

// Scope: services and tools build on shared libs; shared libs never reach
// back into a service or a tool. Type: a layered graph, schema at the bottom.
const depConstraints = [
  {
    sourceTag: 'scope:pipeline',
    onlyDependOnLibsWithTags: ['scope:shared'],
  },
  {
    sourceTag: 'scope:tools',
    onlyDependOnLibsWithTags: ['scope:shared'],
  },
  {
    sourceTag: 'scope:shared',
    onlyDependOnLibsWithTags: ['scope:shared'],
  },
  {
    sourceTag: 'scope:e2e',
    onlyDependOnLibsWithTags: ['scope:shared', 'scope:tools'],
  },
  {
    sourceTag: 'type:schema',
    onlyDependOnLibsWithTags: [],
    bannedExternalImports: bannedInPureLibs,
  },
  {
    sourceTag: 'type:parsers',
    onlyDependOnLibsWithTags: ['type:schema'],
    bannedExternalImports: bannedInPureLibs,
  },
  {
    sourceTag: 'type:rules',
    onlyDependOnLibsWithTags: ['type:schema'],
    bannedExternalImports: bannedInPureLibs,
  },
  {
    sourceTag: 'type:transport',
    onlyDependOnLibsWithTags: ['type:schema'],
  },
  {
    sourceTag: 'type:data-access',
    onlyDependOnLibsWithTags: ['type:schema', 'type:rules'],
  },
  {
    sourceTag: 'type:service',
    onlyDependOnLibsWithTags: [
      'type:schema',
      'type:transport',
      'type:data-access',
    ],
  },
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: [
      'type:schema',
      'type:parsers',
      'type:rules',
      'type:transport',
      'type:data-access',
      'type:service',
    ],
  },
  {
    // The stack commands read the file accounting from the warehouse.
    sourceTag: 'type:tool',
    onlyDependOnLibsWithTags: [
      'type:schema',
      'type:parsers',
      'type:data-access',
    ],
  },
  {
    sourceTag: 'type:e2e',
    onlyDependOnLibsWithTags: ['*'],
  },
];

// Tests may also start the local cloud emulators (a tool) in-process, and
// the parsers' samples test folds its profile changes with the profile rules.
const toolTag = { scope: 'scope:tools', type: 'type:tool' };
const alsoInTests = { 'type:parsers': ['type:rules'] };
const testDepConstraints = depConstraints.map((constraint) => {
  const dimension = constraint.sourceTag.split(':')[0];
  return {
    ...constraint,
    onlyDependOnLibsWithTags: [
      ...constraint.onlyDependOnLibsWithTags,
      toolTag[dimension],
      ...(alsoInTests[constraint.sourceTag] ?? []),
    ],
  };
});

const boundaries = (constraints) => [
  'error',
  {
    // Libraries are compiled into the service bundles, never built on their own.
    enforceBuildableLibDependency: false,
    // Build configurations may share the workspace's webpack configuration.
    allow: [
      '^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$',
      '^.*/webpack/node-service\\.webpack(\\.js)?$',
    ],
    depConstraints: constraints,
  },
];

const testFiles = [
  '**/*.spec.ts',
  '**/integration/**/*.ts',
  '**/testing/**/*.ts',
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/out-tsc', '**/.data'],
  },
  {
    files: ['**/*.ts', '**/*.js', '**/*.cts', '**/*.mjs'],
    ignores: testFiles,
    rules: { '@nx/enforce-module-boundaries': boundaries(depConstraints) },
  },
  {
    files: testFiles,
    rules: { '@nx/enforce-module-boundaries': boundaries(testDepConstraints) },
  },
];
