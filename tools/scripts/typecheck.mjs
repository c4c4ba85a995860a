// Type-checks every tsconfig.*.json of one project (sources, specs, benches).
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const projectRoot = process.argv[2];
const configs = readdirSync(projectRoot).filter((f) => /^tsconfig\..+\.json$/.test(f));
for (const config of configs) {
  execFileSync('npx', ['tsc', '--noEmit', '-p', join(projectRoot, config)], { stdio: 'inherit' });
}
