// Jest loads the global setup with Node's own resolver, which knows no
// tsconfig path aliases, so the stack's build function is imported by path.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { buildStackForTests } from '../../../../tools/stack/src/build';

/** The specs run the built bundles; Nx rebuilds only what changed. */
export default async function globalSetup(): Promise<void> {
  await buildStackForTests();
}
