/**
 * The service images, proven without a Docker engine: each app's
 * `docker-build` target runs (with a stand-in `docker` that records what it
 * was asked to build), then the Dockerfile's own install command runs on the
 * build output, and the bundle's imports must load from what it installed.
 */
import { spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVICES } from '../src/services';
import {
  argsOf,
  envOf,
  healthcheckCommand,
  parseCopy,
  parseDockerfile,
  Stage,
} from './dockerfile';

const workspaceRoot = join(__dirname, '..', '..');
const APPS = Object.keys(SERVICES);
const NODE_MAJOR = process.versions.node.split('.')[0];

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const rootPackage = readJson(join(workspaceRoot, 'package.json'));

/** The environment of a fresh shell: none of the variables Nx or Jest set. */
const cleanEnv = (extra: Record<string, string> = {}) => ({
  ...Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) =>
        !key.startsWith('NX_') &&
        !key.startsWith('IMAGE_') &&
        key !== 'NODE_ENV',
    ),
  ),
  NX_DAEMON: 'false',
  NX_TUI: 'false',
  NX_NO_CLOUD: 'true',
  ...extra,
});

interface RunResult {
  code: number | null;
  output: string;
}

const run = (
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<RunResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, options);
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });

const mustRun = async (
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
) => {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.code}:\n${result.output}`,
    );
  }
  return result.output;
};

const FAKE_DOCKER = `#!/usr/bin/env node
const { readdirSync, writeFileSync } = require('node:fs');
const { basename, join, resolve } = require('node:path');
const args = process.argv.slice(2);
const context = resolve(args[args.length - 1]);
writeFileSync(
  join(process.env.DOCKER_LOG_DIR, basename(context) + '.json'),
  JSON.stringify({ args, cwd: process.cwd(), files: readdirSync(context) }),
);
`;

/** Package name of a module specifier: `@a/b/c` → `@a/b`, `a/b` → `a`. */
const packageName = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/** Packages the bundle loads at run time (webpack leaves them as require calls). */
const externalPackages = (bundle: string) =>
  [...new Set([...bundle.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]))]
    .filter((specifier) => !isBuiltin(specifier))
    .map(packageName)
    .filter((name, index, names) => names.indexOf(name) === index)
    .sort();

/** The installed package.json of `name` as Node would find it from `fromDir`. */
const findPackage = (name: string, fromDir: string, root: string) => {
  for (let dir = fromDir; dir.startsWith(root); dir = join(dir, '..')) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
  }
  return undefined;
};

/** Every package reachable from `roots` through the installed manifests. */
const reachablePackages = (roots: string[], installDir: string) => {
  const names = new Set<string>();
  const visited = new Set<string>();
  const visit = (name: string, fromDir: string) => {
    names.add(name);
    const dir = findPackage(name, fromDir, installDir);
    if (!dir || visited.has(dir)) return;
    visited.add(dir);
    const manifest = readJson(join(dir, 'package.json'));
    for (const section of [
      'dependencies',
      'peerDependencies',
      'optionalDependencies',
    ]) {
      for (const dependency of Object.keys(manifest[section] ?? {})) {
        visit(dependency, dir);
      }
    }
  };
  for (const root of roots) visit(root, installDir);
  return names;
};

const stagesOf = (app: string) =>
  parseDockerfile(
    readFileSync(join(workspaceRoot, 'apps', app, 'Dockerfile'), 'utf8'),
  );
const finalStage = (app: string): Stage => stagesOf(app).at(-1) as Stage;
const depsStage = (app: string): Stage => {
  const stage = stagesOf(app).find((s) => s.name === 'deps');
  if (!stage) throw new Error(`apps/${app}/Dockerfile has no deps stage`);
  return stage;
};

const workDir = mkdtempSync(join(tmpdir(), 'app-images-'));
const installDirOf = (app: string) => join(workDir, 'install', app);
const buildDirOf = (app: string) => join(workspaceRoot, 'dist', 'apps', app);

beforeAll(async () => {
  const binDir = join(workDir, 'bin');
  const logDir = join(workDir, 'docker-log');
  mkdirSync(binDir);
  mkdirSync(logDir);
  writeFileSync(join(binDir, 'docker'), FAKE_DOCKER, { mode: 0o755 });

  await mustRun(
    'npx',
    [
      'nx',
      'run-many',
      '-t',
      'docker-build',
      '-p',
      APPS.join(','),
      '--parallel=2',
      // The build's cache key leaves out which section of the root
      // package.json a dependency is in, which the generated one depends on.
      '--skip-nx-cache',
      '--outputStyle=static',
    ],
    {
      cwd: workspaceRoot,
      env: cleanEnv({
        PATH: `${binDir}:${process.env['PATH']}`,
        DOCKER_LOG_DIR: logDir,
      }),
    },
  );

  // The deps stage, run as the Dockerfile says, on a copy of its inputs.
  await Promise.all(
    APPS.map(async (app) => {
      const dir = installDirOf(app);
      mkdirSync(dir, { recursive: true });
      for (const file of ['package.json', 'package-lock.json', 'main.js']) {
        copyFileSync(join(buildDirOf(app), file), join(dir, file));
      }
      for (const command of argsOf(depsStage(app), 'RUN')) {
        await mustRun('sh', ['-c', command], {
          cwd: dir,
          // Served from the npm cache that the workspace install filled.
          env: cleanEnv({ npm_config_prefer_offline: 'true' }),
        });
      }
    }),
  );
}, 300_000);

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('deployed services', () => {
  it('are exactly the apps that have a Dockerfile', () => {
    const withDockerfile = readdirSync(join(workspaceRoot, 'apps')).filter(
      (app) => existsSync(join(workspaceRoot, 'apps', app, 'Dockerfile')),
    );
    expect(withDockerfile.sort()).toEqual([...APPS].sort());
  });

  it('share one Dockerfile and one docker-build target, up to the app name', () => {
    const normalised = APPS.map((app) => ({
      dockerfile: readFileSync(
        join(workspaceRoot, 'apps', app, 'Dockerfile'),
        'utf8',
      ).replaceAll(app, 'APP'),
      target: readJson(join(workspaceRoot, 'apps', app, 'project.json'))
        .targets['docker-build'],
    }));
    for (const other of normalised.slice(1)) {
      expect(other).toEqual(normalised[0]);
    }
  });
});

describe.each(APPS)('%s image', (app) => {
  const packageJson = () => readJson(join(buildDirOf(app), 'package.json'));
  const bundle = () => readFileSync(join(buildDirOf(app), 'main.js'), 'utf8');

  it('is built by docker-build from the build output', () => {
    const log = readJson(join(workDir, 'docker-log', `${app}.json`));
    expect(log.cwd).toBe(workspaceRoot);
    expect(log.args).toEqual([
      'build',
      '--platform=linux/amd64',
      '-f',
      `apps/${app}/Dockerfile`,
      '-t',
      `event-pipeline/${app}:local`,
      `dist/apps/${app}`,
    ]);
    expect(log.files).toEqual(
      expect.arrayContaining(['main.js', 'package.json', 'package-lock.json']),
    );
  });

  it('declares every package the bundle requires, production dependencies only, each one needed', () => {
    const manifest = packageJson();
    const declared = Object.keys(manifest.dependencies ?? {});
    const required = externalPackages(bundle());
    // tslib (TypeScript's runtime library) is missed by Nx 23.2's package.json
    // generator, which looks for tsconfig.app.json from the wrong folder; it
    // installs as a dependency of rxjs, and the next test proves it loads.
    // Passing runtimeDependencies: ['tslib'] to NxAppWebpackPlugin declares it.
    expect(
      required.filter((name) => !declared.includes(name) && name !== 'tslib'),
    ).toEqual([]);
    expect(manifest.devDependencies).toBeUndefined();
    expect(
      declared.filter((name) => name in rootPackage.devDependencies),
    ).toEqual([]);
    // Every library is bundled: nothing points into the workspace.
    expect(
      Object.values<string>(manifest.dependencies ?? {}).filter((spec) =>
        /^(file|link|workspace):/.test(spec),
      ),
    ).toEqual([]);

    const needed = reachablePackages(required, installDirOf(app));
    expect(declared.filter((name) => !needed.has(name))).toEqual([]);
  });

  it('loads every package the bundle requires from the production install', async () => {
    const packages = externalPackages(bundle());
    const result = await run(
      'node',
      [
        '-e',
        'for (const name of JSON.parse(process.argv[1])) require(name)',
        JSON.stringify(packages),
      ],
      { cwd: installDirOf(app), env: cleanEnv({ NODE_ENV: 'production' }) },
    );
    expect(result).toEqual({ code: 0, output: '' });
  });

  it('copies the whole build output and the production node_modules', () => {
    const copies = argsOf(finalStage(app), 'COPY').map(parseCopy);
    const fromContext = copies.filter((copy) => copy.from === undefined);
    const built = readdirSync(buildDirOf(app));
    const uncopied = built.filter(
      (file) =>
        !fromContext.some((copy) =>
          copy.sources.some((source) => ['.', './', file].includes(source)),
        ),
    );
    expect(uncopied).toEqual([]);
    expect(copies).toContainEqual({
      from: 'deps',
      sources: ['/app/node_modules'],
      destination: './node_modules',
    });
    expect(argsOf(depsStage(app), 'COPY').map(parseCopy)).toContainEqual({
      from: undefined,
      sources: ['package.json', 'package-lock.json'],
      destination: './',
    });
    expect(argsOf(depsStage(app), 'RUN').join(' ')).toMatch(
      /npm ci .*--omit=dev/,
    );
  });

  it(`runs main.js on node:${NODE_MAJOR}-slim as a non-root user, listening on all interfaces`, () => {
    for (const stage of stagesOf(app)) {
      expect(stage.from).toBe(`node:${NODE_MAJOR}-slim`);
    }
    const stage = finalStage(app);
    const user = argsOf(stage, 'USER').at(-1);
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user?.split(':')[0]);
    expect(envOf(stage)).toMatchObject({ HTTP_HOST: '0.0.0.0' });
    expect(JSON.parse(argsOf(stage, 'CMD').at(-1) ?? 'null')).toEqual([
      'node',
      'main.js',
    ]);
  });

  it('has a HEALTHCHECK that passes on a healthy /healthz and fails otherwise', async () => {
    const [healthcheck] = argsOf(finalStage(app), 'HEALTHCHECK');
    const [command, ...args] = healthcheckCommand(healthcheck);
    expect(command).toBe('node');

    const probe = async (status: number) => {
      const paths: string[] = [];
      const server = createServer((request, response) => {
        paths.push(request.url ?? '');
        response.writeHead(request.url === '/healthz' ? status : 404).end();
      });
      await new Promise<void>((resolve) =>
        server.listen(0, '127.0.0.1', resolve),
      );
      const { port } = server.address() as AddressInfo;
      const result = await run(command, args, {
        cwd: workDir,
        env: cleanEnv({ ...envOf(finalStage(app)), PORT: String(port) }),
      });
      await new Promise((resolve) => server.close(resolve));
      return { code: result.code, paths };
    };

    expect(await probe(200)).toEqual({ code: 0, paths: ['/healthz'] });
    expect(await probe(503)).toEqual({ code: 1, paths: ['/healthz'] });
  });
});
