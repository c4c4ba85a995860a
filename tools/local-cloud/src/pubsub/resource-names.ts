import { invalidArgument } from './api-error';

export interface ResourceName {
  /** The full name, `projects/<project>/<collection>/<id>`. */
  name: string;
  project: string;
  id: string;
}

type Collection = 'topics' | 'subscriptions';

// Google's rule for topic and subscription ids.
const RESOURCE_ID = /^(?!goog)[A-Za-z][A-Za-z0-9\-_.~+%]{2,254}$/;
const PROJECT = /^projects\/([^/]+)$/;

const parse = (
  collection: Collection,
  field: string,
  raw: string | null | undefined,
): ResourceName => {
  const name = raw ?? '';
  const parts = name.split('/');
  if (
    parts.length === 4 &&
    parts[0] === 'projects' &&
    parts[1] !== '' &&
    parts[2] === collection &&
    RESOURCE_ID.test(parts[3])
  ) {
    return { name, project: parts[1], id: parts[3] };
  }
  throw invalidArgument(
    `Invalid ${field} ${JSON.stringify(name)}: expected projects/<project>/${collection}/<id>, ` +
      'where the id starts with a letter, has 3 to 255 letters, digits or - _ . ~ + %, ' +
      'and does not start with "goog"',
  );
};

export const parseTopicName = (raw: string | null | undefined, field = 'topic name') =>
  parse('topics', field, raw);

export const parseSubscriptionName = (
  raw: string | null | undefined,
  field = 'subscription name',
) => parse('subscriptions', field, raw);

/** The project id of `projects/<project>`. */
export const parseProjectName = (raw: string | null | undefined): string => {
  const match = PROJECT.exec(raw ?? '');
  if (!match) {
    throw invalidArgument(
      `Invalid project ${JSON.stringify(raw ?? '')}: expected projects/<project>`,
    );
  }
  return match[1];
};

/** The project id inside an already validated resource name. */
export const projectOf = (name: string): string => name.split('/')[1];
export const idOf = (name: string): string => name.split('/')[3];
