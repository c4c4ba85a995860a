import { notModified, preconditionFailed } from './api-error';

/** The generation preconditions of the JSON API, as query parameters. */
export interface Preconditions {
  ifGenerationMatch?: string;
  ifGenerationNotMatch?: string;
  ifMetagenerationMatch?: string;
  ifMetagenerationNotMatch?: string;
}

export const preconditionsFrom = (query: URLSearchParams): Preconditions => ({
  ifGenerationMatch: query.get('ifGenerationMatch') ?? undefined,
  ifGenerationNotMatch: query.get('ifGenerationNotMatch') ?? undefined,
  ifMetagenerationMatch: query.get('ifMetagenerationMatch') ?? undefined,
  ifMetagenerationNotMatch: query.get('ifMetagenerationNotMatch') ?? undefined,
});

/**
 * Checks preconditions against the live object (undefined when there is
 * none, which is generation 0). As on Google, a failed "not match" on a read
 * is 304 Not Modified, every other failure 412.
 */
export const assertPreconditions = (
  preconditions: Preconditions,
  current: { generation: string; metageneration: string } | undefined,
  access: 'read' | 'write',
): void => {
  const generation = current?.generation ?? '0';
  const {
    ifGenerationMatch,
    ifGenerationNotMatch,
    ifMetagenerationMatch,
    ifMetagenerationNotMatch,
  } = preconditions;
  if (ifGenerationMatch !== undefined && ifGenerationMatch !== generation) {
    throw preconditionFailed(
      `At least one of the pre-conditions you specified did not hold: ifGenerationMatch=${ifGenerationMatch}, live generation is ${generation}.`,
    );
  }
  if (
    ifMetagenerationMatch !== undefined &&
    ifMetagenerationMatch !== current?.metageneration
  ) {
    throw preconditionFailed(
      `At least one of the pre-conditions you specified did not hold: ifMetagenerationMatch=${ifMetagenerationMatch}, live metageneration is ${current?.metageneration ?? 'none'}.`,
    );
  }
  const notMatchFailed =
    (ifGenerationNotMatch !== undefined &&
      ifGenerationNotMatch === generation) ||
    (ifMetagenerationNotMatch !== undefined &&
      ifMetagenerationNotMatch === current?.metageneration);
  if (notMatchFailed) {
    throw access === 'read'
      ? notModified()
      : preconditionFailed(
          'At least one of the pre-conditions you specified did not hold: the live object matches a NotMatch condition.',
        );
  }
};
