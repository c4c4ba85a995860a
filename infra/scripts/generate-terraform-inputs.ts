/**
 * Writes the Terraform inputs derived from libs/schema (names, policies,
 * table schemas, service grants) into infra/terraform. With `--check`, writes
 * nothing and exits 1 when a committed file differs from what it would write.
 *
 *   npx nx run infra:generate
 *   npx nx run infra:generate --args=--check
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { TERRAFORM_DIR, terraformInputs } from '../src/terraform-inputs';

const workspaceRoot = join(__dirname, '..', '..');
const check = process.argv.includes('--check');

const read = (path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

const stale: string[] = [];
for (const [file, content] of Object.entries(terraformInputs())) {
  const path = join(workspaceRoot, TERRAFORM_DIR, file);
  if (read(path) === content) continue;
  stale.push(join(TERRAFORM_DIR, file));
  if (!check) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
}

if (check && stale.length > 0) {
  console.error(
    `Out of date with libs/schema: ${stale.join(', ')}. Run: npx nx run infra:generate`,
  );
  process.exit(1);
}
console.log(
  stale.length === 0
    ? 'Terraform inputs are up to date.'
    : `Wrote ${stale.join(', ')}`,
);
