import {
  ACTIVATION_STATES,
  CANCELLATION_STATES,
  FileBatchRow,
  PROFILE_ATTRIBUTE_NAMES,
  PROFILE_COLUMNS,
  PROFILE_FIELD_GROUPS,
  PROFILES_TABLE,
  ProfileAttributes,
  ProfileChange,
  ProfileFieldGroup,
  ProfileRow,
} from '@event-pipeline/schema';
import {
  ACCOUNTING_PARAM_TYPES,
  recordBatchesSql,
  settleAccountingSql,
} from './bigquery-accounting';
import { DatasetRef, ident, Statement, tablePath } from './bigquery-statements';
import { ParamType } from './bigquery-values';

/** One profile change as an element of the `@changes` parameter. */
export const PROFILE_CHANGE_PARAM_TYPE = {
  user_id: 'STRING',
  event_id: 'STRING',
  event_datetime: 'INT64',
  // Attributes travel as columns that may each be null, so whether the
  // change carries them at all is a column of its own.
  has_attributes: 'BOOL',
  ...(Object.fromEntries(
    PROFILE_ATTRIBUTE_NAMES.map((name) => [name, 'STRING']),
  ) as {
    [Name in keyof ProfileAttributes]: 'STRING';
  }),
  install_date: 'INT64',
  state: 'STRING',
  product_id: 'STRING',
  cancellation_reason: 'STRING',
  revenue: 'NUMERIC',
} as const satisfies Record<string, ParamType>;

export type ProfileChangeParam = {
  [Field in keyof typeof PROFILE_CHANGE_PARAM_TYPE]: unknown;
};

export const profileChangeParam = (
  change: ProfileChange,
): ProfileChangeParam => ({
  user_id: change.user_id,
  event_id: change.event_id,
  event_datetime: change.event_datetime,
  has_attributes: change.attributes !== undefined,
  ...(Object.fromEntries(
    PROFILE_ATTRIBUTE_NAMES.map((name) => [
      name,
      change.attributes?.[name] ?? null,
    ]),
  ) as Record<keyof ProfileAttributes, string | null>),
  install_date: change.install_date ?? null,
  state: change.subscription?.state ?? null,
  product_id: change.subscription?.product_id ?? null,
  cancellation_reason: change.subscription?.cancellation_reason ?? null,
  revenue: change.revenue ?? null,
});

const stateList = (states: readonly string[]) =>
  states.map((state) => `'${state}'`).join(', ');

/** How one field group of the fold rule is decided. */
export interface FoldGroupRule {
  /** Which changes touch the group: SQL over the fields of one change. */
  touches: string;
  /**
   * Which touching event wins: the latest by event time or the earliest,
   * ties to the larger event id either way.
   */
  winner: 'latest' | 'earliest';
  /** The profile columns the winning change sets, each from SQL over its fields. */
  sets: Partial<Record<keyof ProfileRow, string>>;
}

/**
 * The fold rule of @event-pipeline/profile-rules, group by group: what
 * the MERGE is generated from (and what its specs check against the fold).
 */
export const FOLD_GROUP_RULES: Record<ProfileFieldGroup, FoldGroupRule> = {
  attributes: {
    touches: 'has_attributes',
    winner: 'latest',
    sets: Object.fromEntries(
      PROFILE_ATTRIBUTE_NAMES.map((name) => [name, name]),
    ),
  },
  install: {
    touches: 'install_date IS NOT NULL',
    winner: 'earliest',
    sets: { install_date: 'install_date' },
  },
  subscription: {
    touches: 'state IS NOT NULL',
    winner: 'latest',
    sets: { state: 'state', product_id: 'product_id' },
  },
  cancellation: {
    touches: `state IN (${stateList(CANCELLATION_STATES)})`,
    winner: 'latest',
    // An empty reason is no reason.
    sets: { cancellation_reason: "NULLIF(cancellation_reason, '')" },
  },
  activation: {
    touches: `state IN (${stateList(ACTIVATION_STATES)})`,
    winner: 'latest',
    sets: {},
  },
  revenue: {
    touches: 'revenue IS NOT NULL',
    winner: 'latest',
    sets: { profile_total_revenue_usd: 'revenue' },
  },
};

interface Version {
  datetime: string;
  id: string;
}

const versionOf = (prefix: string, group: ProfileFieldGroup): Version => ({
  datetime: `${prefix}${group}_event_datetime`,
  id: `${prefix}${group}_event_id`,
});

const noVersion = (version: Version) =>
  `(${version.datetime} IS NULL OR ${version.id} IS NULL)`;

/** isLaterVersion / isEarlierVersion: ties go to the larger event id. */
const beats = (
  candidate: Version,
  current: Version,
  winner: FoldGroupRule['winner'],
) =>
  `(${noVersion(current)}
          OR ${candidate.datetime} ${winner === 'latest' ? '>' : '<'} ${current.datetime}
          OR (${candidate.datetime} = ${current.datetime} AND ${candidate.id} > ${current.id}))`;

/** The group's winner among one user's changes of the micro-batch, or NULL. */
const batchWinnerSql = (group: ProfileFieldGroup): string => {
  const rule = FOLD_GROUP_RULES[group];
  const carried = Object.entries(rule.sets).map(
    ([column, expression]) => `${expression} AS ${ident(column)}`,
  );
  const order = rule.winner === 'latest' ? 'DESC' : 'ASC';
  return `ARRAY_AGG(
        IF(${rule.touches}, STRUCT(${['event_datetime', 'event_id', ...carried].join(', ')}), NULL)
        IGNORE NULLS ORDER BY event_datetime ${order}, event_id DESC LIMIT 1
      )[SAFE_OFFSET(0)] AS ${group}`;
};

const takesSql = (group: ProfileFieldGroup): string => {
  const candidate = {
    datetime: `${group}.event_datetime`,
    id: `${group}.event_id`,
  };
  return `${group} IS NOT NULL AND ${beats(candidate, versionOf('stored.', group), FOLD_GROUP_RULES[group].winner)} AS takes_${group}`;
};

const GROUP_OF_COLUMN = new Map<string, ProfileFieldGroup>(
  PROFILE_FIELD_GROUPS.flatMap((group) =>
    Object.keys(FOLD_GROUP_RULES[group].sets).map(
      (column) => [column, group] as const,
    ),
  ),
);

const VERSION_COLUMN = new Map<string, [ProfileFieldGroup, 'datetime' | 'id']>(
  PROFILE_FIELD_GROUPS.flatMap((group) => [
    [`${group}_event_datetime`, [group, 'datetime'] as const],
    [`${group}_event_id`, [group, 'id'] as const],
  ]),
);

/**
 * The visible reason: the latest cancellation's, unless the latest
 * activation is later (both versions as they stand after this micro-batch).
 */
const VISIBLE_REASON = `CASE
        WHEN ${noVersion(versionOf('', 'cancellation'))} THEN NULL
        WHEN NOT ${noVersion(versionOf('', 'activation'))}
          AND ${beats(versionOf('', 'activation'), versionOf('', 'cancellation'), 'latest')} THEN NULL
        WHEN takes_cancellation THEN cancellation.cancellation_reason
        ELSE stored.cancellation_reason
      END`;

/** Each profile column after the micro-batch, over the `decided` rows. */
const nextValueSql = (column: keyof ProfileRow): string => {
  if (column === 'user_id') return 'user_id';
  if (column === 'updated_at') return 'IF(changed, @now, stored.updated_at)';
  const version = VERSION_COLUMN.get(column);
  if (version) {
    const [group, part] = version;
    const field = part === 'datetime' ? 'event_datetime' : 'event_id';
    return `IF(takes_${group}, ${group}.${field}, stored.${ident(column)})`;
  }
  const group = GROUP_OF_COLUMN.get(column);
  if (!group) {
    throw new Error(
      `Profile column ${column} has no rule in the profile MERGE: add it to FOLD_GROUP_RULES`,
    );
  }
  return `IF(takes_${group}, ${group}.${ident(column)}, stored.${ident(column)})`;
};

// The reason is set by a cancellation but shown only while no later
// activation exists, so it depends on two versions.
const columnSql = (column: keyof ProfileRow): string =>
  column === 'cancellation_reason' ? VISIBLE_REASON : nextValueSql(column);

const PROFILE_COLUMN_NAMES = PROFILE_COLUMNS.map(({ name }) => name);
const FINAL_VERSION_COLUMNS = ['cancellation', 'activation'].flatMap(
  (group) => [`${group}_event_datetime`, `${group}_event_id`],
);

/**
 * ONE MERGE per micro-batch: the changes of `@changes` are grouped per user
 * in SQL (each field group's winning change by ARRAY_AGG ... ORDER BY ...
 * LIMIT 1), each group's winner is compared with the version stored on the
 * profile, and each profile is written whole. A change older than the stored
 * version of its group changes nothing, so replaying changes, in any order,
 * is a no-op; rows change (and count in @@row_count) only when some group
 * version moves.
 */
export const profileMergeSql = (dataset: DatasetRef): string => {
  const profiles = tablePath(dataset, PROFILES_TABLE.name);
  const versions = (stage: string) =>
    FINAL_VERSION_COLUMNS.map(
      (name) => `${nextValueSql(name as keyof ProfileRow)} AS ${name}`,
    ).join(`,\n${stage}`);
  return `MERGE ${profiles} AS target
USING (
  WITH
    batch AS (
      SELECT
        user_id,
      ${PROFILE_FIELD_GROUPS.map(batchWinnerSql).join(',\n      ')}
      FROM UNNEST(@changes)
      GROUP BY user_id
    ),
    decided AS (
      SELECT
        batch.*,
        stored,
        ${PROFILE_FIELD_GROUPS.map(takesSql).join(',\n        ')}
      FROM batch
      LEFT JOIN ${profiles} AS stored USING (user_id)
    ),
    versioned AS (
      SELECT
        decided.*,
        stored IS NULL OR ${PROFILE_FIELD_GROUPS.map((group) => `takes_${group}`).join(' OR ')} AS changed,
        ${versions('        ')}
      FROM decided
    )
  SELECT
    ${PROFILE_COLUMN_NAMES.map((name) => `${columnSql(name)} AS ${ident(name)}`).join(',\n    ')},
    changed
  FROM versioned
) AS folded
ON target.user_id = folded.user_id
WHEN MATCHED AND folded.changed THEN
  UPDATE SET ${PROFILE_COLUMN_NAMES.filter((name) => name !== 'user_id')
    .map((name) => `${ident(name)} = folded.${ident(name)}`)
    .join(', ')}
WHEN NOT MATCHED THEN
  INSERT (${PROFILE_COLUMN_NAMES.map(ident).join(', ')})
  VALUES (${PROFILE_COLUMN_NAMES.map((name) => `folded.${ident(name)}`).join(', ')})`;
};

export interface ProfileChangesCommit {
  /** The micro-batch's batches, as file_batches rows (already free of repeats). */
  batches: readonly FileBatchRow[];
  changes: readonly ProfileChange[];
  now: string;
}

/**
 * The micro-batch as one script: the profile MERGE, then the batch commits
 * and the settle of their files, then the counts. No BEGIN TRANSACTION: a
 * transaction that mutates profiles is cancelled, not queued, when another
 * instance's MERGE runs at the same time, while single statements queue. The
 * order is what makes a failure between statements harmless: the batches are
 * recorded only after their changes are in, and replaying changes is a
 * no-op, so a redelivery after a partial failure finishes the job.
 */
export const profileChangesStatement = (
  dataset: DatasetRef,
  commit: ProfileChangesCommit,
): Statement => ({
  name: 'profile-changes',
  sql: `DECLARE profiles_changed INT64 DEFAULT 0;
DECLARE batches_committed INT64 DEFAULT 0;

${profileMergeSql(dataset)};
SET profiles_changed = @@row_count;

${recordBatchesSql(dataset)};
SET batches_committed = @@row_count;

${settleAccountingSql(dataset)};

SELECT profiles_changed, batches_committed`,
  params: {
    changes: commit.changes.map(profileChangeParam),
    batches: commit.batches,
    files: [...new Set(commit.batches.map((batch) => batch.source_file))],
    now: commit.now,
  },
  types: {
    changes: [PROFILE_CHANGE_PARAM_TYPE],
    ...ACCOUNTING_PARAM_TYPES,
  },
});
