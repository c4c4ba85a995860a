import fc from 'fast-check';
import { foldProfileChanges } from '@event-pipeline/profile-rules';
import {
  PROFILE_COLUMNS,
  PROFILE_FIELD_GROUPS,
  ProfileChange,
  ProfileFieldGroup,
  ProfileRow,
  SUBSCRIPTION_STATES,
} from '@event-pipeline/schema';
import { firstOpen, stateChange, T0 } from '../../testing/fixtures';
import {
  FOLD_GROUP_RULES,
  profileChangeParam,
  ProfileChangeParam,
  profileChangesStatement,
  profileMergeSql,
} from './profile-merge.sql';
import { TEST_DATASET } from './testing/fake-warehouse';

const NOW = '2026-01-01T00:00:00.000Z';
const LATER = '2026-01-02T00:00:00.000Z';
const sql = profileMergeSql(TEST_DATASET);
const squeeze = (text: string) => text.replace(/\s+/g, ' ');
const SQL = squeeze(sql);

/**
 * What the generated MERGE computes, evaluated step by step on the
 * `@changes` elements, reading the rule text that goes into the SQL (each
 * group's `touches` condition and carried expressions) with a tiny
 * interpreter of the three forms it uses. The specs below check that the SQL
 * is built from these steps; the property test checks that the steps give
 * exactly what foldProfileChanges gives.
 */
const touches = (condition: string, change: ProfileChangeParam): boolean => {
  const field = (name: string) => change[name as keyof ProfileChangeParam];
  let match: RegExpMatchArray | null;
  if ((match = condition.match(/^(\w+)$/))) return field(match[1]) === true;
  if ((match = condition.match(/^(\w+) IS NOT NULL$/)))
    return field(match[1]) !== null;
  if ((match = condition.match(/^(\w+) IN \((.+)\)$/))) {
    const list = match[2].split(', ').map((item) => item.replace(/^'|'$/g, ''));
    return list.includes(field(match[1]) as string);
  }
  throw new Error(`No reading of ${condition}`);
};

const carried = (expression: string, change: ProfileChangeParam): unknown => {
  let match: RegExpMatchArray | null;
  if ((match = expression.match(/^(\w+)$/))) {
    return change[match[1] as keyof ProfileChangeParam];
  }
  if ((match = expression.match(/^NULLIF\((\w+), ''\)$/))) {
    const value = change[match[1] as keyof ProfileChangeParam];
    return value === '' ? null : value;
  }
  throw new Error(`No reading of ${expression}`);
};

interface Version {
  datetime: number | null;
  id: string | null;
}

const none = ({ datetime, id }: Version) => datetime === null || id === null;

const beats = (
  candidate: Version,
  current: Version,
  winner: 'latest' | 'earliest',
) =>
  none(current) ||
  (winner === 'latest'
    ? (candidate.datetime as number) > (current.datetime as number)
    : (candidate.datetime as number) < (current.datetime as number)) ||
  (candidate.datetime === current.datetime &&
    (candidate.id as string) > (current.id as string));

const storedVersion = (
  stored: ProfileRow | null,
  group: ProfileFieldGroup,
): Version => ({
  datetime: stored?.[`${group}_event_datetime`] ?? null,
  id: stored?.[`${group}_event_id`] ?? null,
});

const evaluateMerge = (
  userId: string,
  stored: ProfileRow | null,
  changes: readonly ProfileChangeParam[],
  now: string,
): { profile: ProfileRow; changed: boolean } => {
  const next: Record<string, unknown> = { user_id: userId };
  const takes = {} as Record<ProfileFieldGroup, boolean>;
  const winners = {} as Record<
    ProfileFieldGroup,
    ProfileChangeParam | undefined
  >;
  for (const group of PROFILE_FIELD_GROUPS) {
    const rule = FOLD_GROUP_RULES[group];
    // ARRAY_AGG(IF(touches, ...) IGNORE NULLS ORDER BY event_datetime <order>, event_id DESC LIMIT 1)
    const [winner] = changes
      .filter((change) => touches(rule.touches, change))
      .sort(
        (a, b) =>
          (rule.winner === 'latest' ? 1 : -1) *
            ((b.event_datetime as number) - (a.event_datetime as number)) ||
          (b.event_id as string).localeCompare(a.event_id as string),
      );
    winners[group] = winner;
    const candidate = winner && {
      datetime: winner.event_datetime as number,
      id: winner.event_id as string,
    };
    takes[group] =
      candidate !== undefined &&
      beats(candidate, storedVersion(stored, group), rule.winner);
    const version = takes[group] ? candidate : storedVersion(stored, group);
    next[`${group}_event_datetime`] = version?.datetime ?? null;
    next[`${group}_event_id`] = version?.id ?? null;
    for (const [column, expression] of Object.entries(rule.sets)) {
      next[column] = takes[group]
        ? carried(expression, winner as ProfileChangeParam)
        : (stored?.[column as keyof ProfileRow] ?? null);
    }
  }
  const version = (group: ProfileFieldGroup): Version => ({
    datetime: next[`${group}_event_datetime`] as number | null,
    id: next[`${group}_event_id`] as string | null,
  });
  // The CASE of the visible reason.
  next['cancellation_reason'] = none(version('cancellation'))
    ? null
    : !none(version('activation')) &&
        beats(version('activation'), version('cancellation'), 'latest')
      ? null
      : takes.cancellation
        ? next['cancellation_reason']
        : (stored?.cancellation_reason ?? null);
  const changed =
    stored === null || PROFILE_FIELD_GROUPS.some((group) => takes[group]);
  next['updated_at'] = changed ? now : stored?.updated_at;
  const profile = Object.fromEntries(
    PROFILE_COLUMNS.map(({ name }) => [name, next[name] ?? null]),
  ) as ProfileRow;
  return { profile, changed };
};

const merge = (
  stored: ProfileRow | null,
  changes: ProfileChange[],
  now = LATER,
) =>
  evaluateMerge(
    changes[0]?.user_id ?? stored?.user_id ?? 'u1',
    stored,
    changes.map(profileChangeParam),
    now,
  );

const fold = (
  stored: ProfileRow | null,
  changes: ProfileChange[],
  now = LATER,
) => foldProfileChanges(stored, changes, now);

const profileOf = (changes: ProfileChange[]) =>
  fold(null, changes, NOW).profile;

const cancelled = (
  id: string,
  at: number,
  reason: string | null,
  state: 'cancelled' | 'refunded' = 'cancelled',
): ProfileChange => ({
  ...stateChange('u1', id, at, state),
  subscription: {
    state,
    product_id: 'pro_monthly',
    cancellation_reason: reason,
  },
});

describe('the profile MERGE', () => {
  describe('parameters: one STRUCT per change', () => {
    it('carries a first_open as attributes (with a flag, since each may be null) and its install date', () => {
      expect(
        profileChangeParam(
          firstOpen('u1', 'f1', T0, { city: null, os: 'ANDROID' }),
        ),
      ).toEqual({
        user_id: 'u1',
        event_id: 'f1',
        event_datetime: T0,
        has_attributes: true,
        city: null,
        region: 'Berlin',
        country: 'Germany',
        os: 'ANDROID',
        app_version: '2.0.0',
        device: 'iPhone 15',
        os_version: '17.5',
        install_date: T0,
        state: null,
        product_id: null,
        cancellation_reason: null,
        revenue: null,
      });
    });

    it('carries an Adapty change as its state, product, reason and exact revenue text', () => {
      expect(
        profileChangeParam({
          ...cancelled('c1', T0, ''),
          revenue: '123456789012345678901234567.000000001',
        }),
      ).toMatchObject({
        has_attributes: false,
        install_date: null,
        state: 'cancelled',
        product_id: 'pro_monthly',
        cancellation_reason: '',
        revenue: '123456789012345678901234567.000000001',
      });
    });

    it('is typed as ARRAY<STRUCT<...>> with INT64 times and NUMERIC revenue, beside the batch commits', () => {
      const statement = profileChangesStatement(TEST_DATASET, {
        batches: [],
        changes: [stateChange('u1', 's1', T0, 'trial', '1.5')],
        now: NOW,
      });
      expect(statement.types['changes']).toEqual([
        expect.objectContaining({
          event_datetime: 'INT64',
          install_date: 'INT64',
          has_attributes: 'BOOL',
          revenue: 'NUMERIC',
        }),
      ]);
      expect(Object.keys(statement.types).sort()).toEqual([
        'batches',
        'changes',
        'files',
        'now',
      ]);
    });
  });

  describe('SQL', () => {
    it('is ONE MERGE into profiles, grouping the array per user in SQL', () => {
      expect(sql.match(/\bMERGE\b/g)).toHaveLength(1);
      expect(SQL).toContain(
        'MERGE `test-project.warehouse.profiles` AS target',
      );
      expect(SQL).toContain('FROM UNNEST(@changes) GROUP BY user_id');
      expect(SQL).toContain(
        'LEFT JOIN `test-project.warehouse.profiles` AS stored USING (user_id)',
      );
      expect(SQL).toContain('ON target.user_id = folded.user_id');
      expect(SQL).toContain('WHEN MATCHED AND folded.changed THEN UPDATE SET');
      expect(SQL).toContain('WHEN NOT MATCHED THEN INSERT');
      for (const { name } of PROFILE_COLUMNS) {
        expect(SQL).toContain(`AS \`${name}\``);
      }
    });

    it.each(PROFILE_FIELD_GROUPS.map((group) => [group]))(
      '%s: its own winner among the batch, by its own condition, compared with its own stored version',
      (group) => {
        const rule = FOLD_GROUP_RULES[group];
        const order = rule.winner === 'latest' ? 'DESC' : 'ASC';
        expect(SQL).toContain(
          `ARRAY_AGG( IF(${rule.touches}, STRUCT(event_datetime, event_id`,
        );
        expect(SQL).toContain(
          `IGNORE NULLS ORDER BY event_datetime ${order}, event_id DESC LIMIT 1 )[SAFE_OFFSET(0)] AS ${group}`,
        );
        expect(SQL).toContain(
          `${group} IS NOT NULL AND ((stored.${group}_event_datetime IS NULL OR stored.${group}_event_id IS NULL)` +
            ` OR ${group}.event_datetime ${rule.winner === 'latest' ? '>' : '<'} stored.${group}_event_datetime` +
            ` OR (${group}.event_datetime = stored.${group}_event_datetime AND ${group}.event_id > stored.${group}_event_id)) AS takes_${group}`,
        );
        expect(SQL).toContain(
          `IF(takes_${group}, ${group}.event_datetime, stored.\`${group}_event_datetime\`) AS \`${group}_event_datetime\``,
        );
        for (const column of Object.keys(rule.sets)) {
          if (column === 'cancellation_reason') continue;
          expect(SQL).toContain(
            `IF(takes_${group}, ${group}.\`${column}\`, stored.\`${column}\`) AS \`${column}\``,
          );
        }
      },
    );

    it('reads the touching changes of each group from the contract', () => {
      expect(FOLD_GROUP_RULES.attributes.touches).toBe('has_attributes');
      expect(FOLD_GROUP_RULES.install).toMatchObject({
        touches: 'install_date IS NOT NULL',
        winner: 'earliest',
      });
      expect(FOLD_GROUP_RULES.subscription.touches).toBe('state IS NOT NULL');
      expect(FOLD_GROUP_RULES.cancellation.touches).toBe(
        "state IN ('cancelled', 'refunded')",
      );
      expect(FOLD_GROUP_RULES.activation.touches).toBe(
        "state IN ('active', 'trial')",
      );
      expect(FOLD_GROUP_RULES.revenue.touches).toBe('revenue IS NOT NULL');
    });

    it('shows the reason of the latest cancellation unless a later activation exists, and no empty reason', () => {
      expect(SQL).toContain(
        "NULLIF(cancellation_reason, '') AS `cancellation_reason`",
      );
      expect(SQL).toContain(
        'CASE WHEN (cancellation_event_datetime IS NULL OR cancellation_event_id IS NULL) THEN NULL' +
          ' WHEN NOT (activation_event_datetime IS NULL OR activation_event_id IS NULL)' +
          ' AND ((cancellation_event_datetime IS NULL OR cancellation_event_id IS NULL)' +
          ' OR activation_event_datetime > cancellation_event_datetime' +
          ' OR (activation_event_datetime = cancellation_event_datetime AND activation_event_id > cancellation_event_id)) THEN NULL' +
          ' WHEN takes_cancellation THEN cancellation.cancellation_reason' +
          ' ELSE stored.cancellation_reason END AS `cancellation_reason`',
      );
    });

    it('moves updated_at, and counts a row, only when a group version moves or the profile is new', () => {
      expect(SQL).toContain(
        `stored IS NULL OR ${PROFILE_FIELD_GROUPS.map((g) => `takes_${g}`).join(' OR ')} AS changed`,
      );
      expect(SQL).toContain(
        'IF(changed, @now, stored.updated_at) AS `updated_at`',
      );
    });

    it('runs with the batch commits and the settle in one script, profiles first, without a transaction', () => {
      const { sql: script } = profileChangesStatement(TEST_DATASET, {
        batches: [],
        changes: [],
        now: NOW,
      });
      const order = [
        'MERGE `test-project.warehouse.profiles`',
        'SET profiles_changed = @@row_count',
        'MERGE `test-project.warehouse.file_batches`',
        'SET batches_committed = @@row_count',
        'MERGE `test-project.warehouse.file_accounting`',
        'SELECT profiles_changed, batches_committed',
      ].map((part) => script.indexOf(part));
      expect(
        order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1])),
      ).toBe(true);
      expect(script).not.toMatch(/BEGIN TRANSACTION/);
    });
  });

  describe('evaluated on the fold cases, it gives what foldProfileChanges gives', () => {
    const expectSame = (
      stored: ProfileRow | null,
      changes: ProfileChange[],
    ) => {
      const expected = fold(stored, changes);
      expect(merge(stored, changes)).toEqual(expected);
      return expected;
    };

    it('ignores an event older than the stored version of its group', () => {
      const stored = profileOf([
        firstOpen('u1', 'f2', T0 + 10, { city: 'Lisbon' }),
      ]);
      const { profile, changed } = expectSame(stored, [
        {
          ...firstOpen('u1', 'f1', T0 + 5, { city: 'Porto' }),
          install_date: undefined,
        },
      ]);
      expect(changed).toBe(false);
      expect(profile.city).toBe('Lisbon');
      expect(profile.updated_at).toBe(NOW);
    });

    it('breaks a tie of event times by the larger event id', () => {
      const stored = profileOf([stateChange('u1', 'b', T0, 'trial')]);
      expect(
        expectSame(stored, [stateChange('u1', 'a', T0, 'active')]).profile
          .state,
      ).toBe('trial');
      expect(
        expectSame(stored, [stateChange('u1', 'c', T0, 'active')]).profile
          .state,
      ).toBe('active');
      expect(
        expectSame(null, [
          stateChange('u1', 'a', T0, 'active'),
          stateChange('u1', 'c', T0, 'expired'),
        ]).profile.state,
      ).toBe('expired');
    });

    it('decides each field group on its own', () => {
      const stored = profileOf([
        firstOpen('u1', 'f1', T0 + 50, { city: 'Berlin' }),
        stateChange('u1', 's1', T0 + 1, 'trial', '10'),
      ]);
      const { profile } = expectSame(stored, [
        // Older than the attributes, newer than the state and revenue.
        {
          ...stateChange('u1', 's2', T0 + 20, 'active', '5'),
          attributes: undefined,
        },
      ]);
      expect(profile).toMatchObject({
        city: 'Berlin',
        state: 'active',
        profile_total_revenue_usd: '5',
      });
    });

    it('keeps the earliest install date, ties to the larger event id', () => {
      const stored = profileOf([firstOpen('u1', 'f5', T0 + 5)]);
      expect(
        expectSame(stored, [firstOpen('u1', 'f9', T0 + 9)]).profile
          .install_date,
      ).toBe(T0 + 5);
      const earlier = expectSame(stored, [
        firstOpen('u1', 'f1', T0 + 1),
      ]).profile;
      expect(earlier).toMatchObject({
        install_date: T0 + 1,
        install_event_id: 'f1',
        city: 'Berlin',
      });
      expect(
        expectSame(stored, [
          { ...firstOpen('u1', 'f6', T0 + 5), install_date: T0 + 4 },
        ]).profile.install_event_id,
      ).toBe('f6');
    });

    it('shows the cancellation reason only while no later activation exists', () => {
      const cancelledLast = expectSame(null, [
        stateChange('u1', 'a1', T0, 'active'),
        cancelled('c1', T0 + 1, 'too expensive'),
      ]).profile;
      expect(cancelledLast.cancellation_reason).toBe('too expensive');
      const reactivated = expectSame(cancelledLast, [
        stateChange('u1', 'a2', T0 + 2, 'trial'),
      ]).profile;
      expect(reactivated).toMatchObject({
        state: 'trial',
        cancellation_reason: null,
      });
      // An activation older than the stored cancellation leaves the reason.
      expect(
        expectSame(cancelledLast, [stateChange('u1', 'a0', T0 - 1, 'active')])
          .profile.cancellation_reason,
      ).toBe('too expensive');
      // A refund is a cancellation too; a later one brings its reason back.
      expect(
        expectSame(reactivated, [
          cancelled('r1', T0 + 3, 'refund asked', 'refunded'),
        ]).profile,
      ).toMatchObject({
        state: 'refunded',
        cancellation_reason: 'refund asked',
      });
    });

    it('turns an empty cancellation reason into null', () => {
      expect(
        expectSame(null, [cancelled('c1', T0, '')]).profile.cancellation_reason,
      ).toBeNull();
    });

    it('takes the latest revenue even when it is lower', () => {
      const stored = profileOf([
        stateChange('u1', 's1', T0, 'active', '99.99'),
      ]);
      expect(
        expectSame(stored, [
          {
            ...stateChange('u1', 'r2', T0 + 1, 'active', '0.01'),
            subscription: undefined,
          },
        ]).profile.profile_total_revenue_usd,
      ).toBe('0.01');
    });

    it('creates a profile from its first changes, whatever they carry', () => {
      const { changed, profile } = expectSame(null, [
        cancelled('c1', T0, 'bug'),
      ]);
      expect(changed).toBe(true);
      expect(profile).toMatchObject({
        user_id: 'u1',
        state: 'cancelled',
        updated_at: LATER,
      });
    });
  });

  it('agrees with foldProfileChanges on random histories, batches, orders and repeats', () => {
    const at = fc.integer({ min: 0, max: 3 }).map((offset) => T0 + offset);
    const text = fc.constantFrom(null, '', 'a', 'b');
    const payload = fc.record(
      {
        attributes: fc.record({
          city: text,
          region: text,
          country: text,
          os: text,
          app_version: text,
          device: text,
          os_version: text,
        }),
        install_date: at,
        subscription: fc.record({
          state: fc.constantFrom(...SUBSCRIPTION_STATES),
          product_id: text,
          cancellation_reason: text,
        }),
        revenue: fc.constantFrom('0', '1.5', '99.999999999'),
      },
      { requiredKeys: [] },
    );
    const changes = fc
      .uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 12 })
      .chain((ids) =>
        fc.tuple(
          ...ids.map((id) =>
            fc.tuple(at, payload).map(
              ([event_datetime, fields]): ProfileChange => ({
                user_id: 'u1',
                event_id: `e${String(id).padStart(2, '0')}`,
                event_datetime,
                ...fields,
              }),
            ),
          ),
        ),
      );
    fc.assert(
      fc.property(
        changes,
        fc.nat(),
        fc.array(fc.nat(), { maxLength: 4 }),
        (all, split, repeats) => {
          const history = all.slice(0, split % (all.length + 1));
          const batch = [
            ...all.slice(history.length),
            ...repeats.flatMap((r) =>
              all.length ? [all[r % all.length]] : [],
            ),
          ];
          if (history.length === 0 && batch.length === 0) return;
          const stored = history.length > 0 ? profileOf(history) : null;
          expect(merge(stored, batch)).toEqual(fold(stored, batch));
        },
      ),
      { numRuns: 500 },
    );
  });
});
