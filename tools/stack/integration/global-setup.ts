import { buildStackForTests } from '../src/build';

/** The integration specs run the built bundles; Nx rebuilds only what changed. */
export default async function globalSetup(): Promise<void> {
  await buildStackForTests();
}
