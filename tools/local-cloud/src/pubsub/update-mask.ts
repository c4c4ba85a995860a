import { invalidArgument } from './api-error';

/**
 * `current` with the fields named by an update mask taken from `patch`.
 * Paths are snake_case as in FieldMask; `updatable` maps them to fields.
 */
export const applyUpdateMask = <T extends object>(
  kind: string,
  current: T,
  patch: T,
  paths: readonly string[] | null | undefined,
  updatable: Readonly<Record<string, keyof T>>,
): T => {
  if (!paths || paths.length === 0) {
    throw invalidArgument(`update_mask of the ${kind} update must name at least one field`);
  }
  const next = { ...current };
  for (const path of paths) {
    const field = updatable[path];
    if (field === undefined) {
      throw invalidArgument(
        `${kind} field ${JSON.stringify(path)} cannot be updated; updatable fields: ${Object.keys(updatable).join(', ')}`,
      );
    }
    next[field] = patch[field];
  }
  return next;
};
