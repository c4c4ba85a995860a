import { checkUnifiedEvent } from '@event-pipeline/schema';
import { parseBytes } from '../testing/parse-fixtures';

const EXPORT_HEADER =
  'profile_id,event_type,event_datetime,transaction_id,original_transaction_id,subscription_expires_at,environment,revenue_usd,proceeds_usd,net_revenue_usd,customer_user_id,store,product_id,profile_country,cancellation_reason,currency,attributes,profile_total_revenue_usd';

const exportRow = (fields: Partial<Record<string, string>>): string => {
  const defaults: Record<string, string> = {
    profile_id: '043e3ef5-11b4-44e9-6953-3fc27219c1da',
    event_type: 'subscription_renewed',
    event_datetime: '2024-01-07T21:02:00.000000+0000',
    transaction_id: '53902854109530',
    original_transaction_id: '53902854109530',
    environment: 'Production',
    revenue_usd: '59.99',
    proceeds_usd: '41.99',
    customer_user_id: 'user-000013',
    store: 'play_store',
    product_id: 'premium.yearly',
    profile_country: 'TR',
    currency: 'USD',
    attributes: '"{""plan"": ""a,b"", ""note"": ""x""}"',
    profile_total_revenue_usd: '239.96',
  };
  const values = { ...defaults, ...fields };
  return EXPORT_HEADER.split(',')
    .map((name) => values[name] ?? '')
    .join(',');
};

const CASE_HEADER =
  'user_id,Event_Name,event_datetime,vendor_product_id,proceeds_usd,profile_total_revenue_usd,cancellation_reason';

describe('Adapty CSV', () => {
  it('maps Adapty export rows to unified events', async () => {
    const { events, errors, totals } = await parseBytes(
      `${EXPORT_HEADER}\n${exportRow({})}\n`,
    );
    expect(errors).toEqual([]);
    expect(totals).toMatchObject({ kind: 'adapty', rowsRead: 1, events: 1 });
    expect(events[0]).toEqual({
      event_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      source: 'adapty',
      user_id: 'user-000013',
      event_name: 'subscription_renewed',
      event_datetime: Date.parse('2024-01-07T21:02:00Z') * 1000,
      city: null,
      region: null,
      country: null,
      os: null,
      app_version: null,
      event_parameters: {
        profile_id: '043e3ef5-11b4-44e9-6953-3fc27219c1da',
        transaction_id: '53902854109530',
        original_transaction_id: '53902854109530',
        environment: 'Production',
        revenue_usd: '59.99',
        store: 'play_store',
        product_id: 'premium.yearly',
        profile_country: 'TR',
        currency: 'USD',
        attributes: '{"plan": "a,b", "note": "x"}',
      },
      proceeds_usd: '41.99',
      profile_total_revenue_usd: '239.96',
      cancellation_reason: null,
      source_file: 'gs://inbox/exports/file#1700000000000001',
    });
    expect(checkUnifiedEvent(events[0])).toBeNull();
  });

  it('maps case layout rows, reading its dates as UTC', async () => {
    const csv = `${CASE_HEADER}\r\nuser-000003,subscription_renewal_cancelled,"January 30, 2024, 10:41 PM",premium.yearly,,179.97,voluntarily_cancelled\r\n`;
    const { events, profileChanges, errors } = await parseBytes(csv);
    expect(errors).toEqual([]);
    expect(events[0]).toMatchObject({
      user_id: 'user-000003',
      event_name: 'subscription_renewal_cancelled',
      event_datetime: Date.parse('2024-01-30T22:41:00Z') * 1000,
      event_parameters: { vendor_product_id: 'premium.yearly' },
      proceeds_usd: null,
      profile_total_revenue_usd: '179.97',
      cancellation_reason: 'voluntarily_cancelled',
    });
    expect(profileChanges).toEqual([
      {
        user_id: 'user-000003',
        event_id: events[0].event_id,
        event_datetime: events[0].event_datetime,
        subscription: {
          state: 'cancelled',
          product_id: 'premium.yearly',
          cancellation_reason: 'voluntarily_cancelled',
        },
        revenue: '179.97',
      },
    ]);
  });

  it('matches header names case-insensitively after trimming, with a BOM and new columns', async () => {
    const csv = `\ufeff USER_ID , event_name ,Event_DateTime, Brand_New_Column ,PROCEEDS_USD\nu1,trial_started,2024-01-01T00:00:00Z,shiny,1.50\n`;
    const { events, errors } = await parseBytes(csv);
    expect(errors).toEqual([]);
    expect(events[0]).toMatchObject({
      user_id: 'u1',
      event_name: 'trial_started',
      event_parameters: { brand_new_column: 'shiny' },
      proceeds_usd: '1.5',
    });
  });

  it('reads quoted fields with commas, quotes and line breaks, and counts lines', async () => {
    const csv = [
      'profile_id,event_type,event_datetime,note',
      'p1,trial_started,2024-01-01T00:00:00Z,"one, ""two""',
      'three"',
      'p2,trial_started,2024-01-01T00:00:00Z,plain',
      'p3,trial_started,not a date,x',
    ].join('\r\n');
    const { events, errors } = await parseBytes(csv, { chunkBytes: 7 });
    expect(events.map((e) => e.event_parameters)).toEqual([
      { note: 'one, "two"\r\nthree' },
      { note: 'plain' },
    ]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      code: 'INVALID_DATETIME',
      scope: 'row',
      location: { line: 5 },
      raw: 'p3,trial_started,not a date,x',
    });
    expect(errors[0].message).toMatch(
      /^line 5: event_datetime: expected ISO-8601 .* found "not a date"$/,
    );
  });

  describe('user id', () => {
    const header =
      'customer_user_id,profile_id,user_id,event_type,event_datetime';
    const userOf = async (row: string) => {
      const { events, errors } = await parseBytes(`${header}\n${row}\n`);
      return { event: events[0], errors };
    };

    it('is customer_user_id when it has a value', async () => {
      const { event } = await userOf(
        'cu,pr,us,trial_started,2024-01-01T00:00:00Z',
      );
      expect(event.user_id).toBe('cu');
      expect(event.event_parameters).toEqual({
        profile_id: 'pr',
        user_id: 'us',
      });
    });

    it('falls back to profile_id, then to user_id', async () => {
      expect(
        (await userOf(',pr,us,trial_started,2024-01-01T00:00:00Z')).event
          .user_id,
      ).toBe('pr');
      const { event } = await userOf(
        ' ,  ,us,trial_started,2024-01-01T00:00:00Z',
      );
      expect(event.user_id).toBe('us');
      expect(event.event_parameters).toEqual({});
    });

    it('is a MISSING_FIELD record when every id column is empty', async () => {
      const { event, errors } = await userOf(
        ',,,trial_started,2024-01-01T00:00:00Z',
      );
      expect(event).toBeUndefined();
      expect(errors[0]).toMatchObject({
        code: 'MISSING_FIELD',
        location: { line: 2 },
      });
      expect(errors[0].message).toContain(
        'customer_user_id, profile_id, user_id',
      );
    });
  });

  it('keeps decimals exact and rejects anything that is not a plain NUMERIC', async () => {
    const csv = [
      `${CASE_HEADER}`,
      'u,subscription_renewed,2024-01-01T00:00:00Z,p,2.090,0010.50,',
      'u,subscription_renewed,2024-01-02T00:00:00Z,p,"4,99",1,',
      'u,subscription_renewed,2024-01-03T00:00:00Z,p,1,1e3,',
      'u,subscription_renewed,2024-01-04T00:00:00Z,p,0.1234567891,1,',
    ].join('\n');
    const { events, errors } = await parseBytes(csv);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      proceeds_usd: '2.09',
      profile_total_revenue_usd: '10.5',
    });
    expect(errors.map((e) => [e.code, e.location.line])).toEqual([
      ['INVALID_DECIMAL', 3],
      ['INVALID_DECIMAL', 4],
      ['INVALID_DECIMAL', 5],
    ]);
    expect(errors[0].message).toContain(
      'proceeds_usd: expected a plain decimal',
    );
    expect(errors[0].message).toContain('found "4,99"');
    expect(errors[1].message).toContain('profile_total_revenue_usd');
  });

  it('gives an empty cancellation reason as null, in the event and the profile change', async () => {
    const { events, profileChanges } = await parseBytes(
      `${CASE_HEADER}\nu,subscription_refunded,2024-01-01T00:00:00Z,p,,,\n`,
    );
    expect(events[0].cancellation_reason).toBeNull();
    expect(profileChanges[0].subscription).toEqual({
      state: 'refunded',
      product_id: 'p',
      cancellation_reason: null,
    });
  });

  it('gives profile changes for state-setting events and for revenue', async () => {
    const csv = [
      CASE_HEADER,
      'u,trial_started,2024-01-01T00:00:00Z,p,,,',
      'u,non_subscription_purchase,2024-01-02T00:00:00Z,coins,1.99,2.99,',
      'u,some_future_event,2024-01-03T00:00:00Z,p,,,',
      'u,Subscription_Renewed,2024-01-04T00:00:00Z,p,1,2,should_be_ignored',
    ].join('\n');
    const { events, profileChanges } = await parseBytes(csv);
    expect(events).toHaveLength(4);
    expect(
      profileChanges.map(({ subscription, revenue }) => ({
        subscription,
        revenue,
      })),
    ).toEqual([
      {
        subscription: {
          state: 'trial',
          product_id: 'p',
          cancellation_reason: null,
        },
        revenue: undefined,
      },
      { subscription: undefined, revenue: '2.99' },
      {
        subscription: {
          state: 'active',
          product_id: 'p',
          cancellation_reason: null,
        },
        revenue: '2',
      },
    ]);
  });

  it('records rows whose field count differs from the header, and loads the rest', async () => {
    const csv = [
      CASE_HEADER,
      'u,trial_started,2024-01-01T00:00:00Z,p,,,',
      'u,trial_started,2024-01-02T00:00:00Z,p,,',
      'u,trial_started,2024-01-03T00:00:00Z,p,,,,extra',
      'u,trial_started,2024-01-04T00:00:00Z,p,,,',
    ].join('\n');
    const { events, errors, totals } = await parseBytes(csv);
    expect(events.map((e) => e.event_datetime)).toEqual([
      Date.parse('2024-01-01T00:00:00Z') * 1000,
      Date.parse('2024-01-04T00:00:00Z') * 1000,
    ]);
    expect(errors.map((e) => [e.code, e.location.line])).toEqual([
      ['MALFORMED_ROW', 3],
      ['MALFORMED_ROW', 4],
    ]);
    expect(errors[0].message).toBe(
      'line 3: expected 7 fields as in the header, found 6',
    );
    expect(totals).toMatchObject({ rowsRead: 4, events: 2, rowErrors: 2 });
  });

  it('records rows with a broken quote and loads the rest', async () => {
    const csv = [
      CASE_HEADER,
      'u,trial_started,2024-01-01T00:00:00Z,"p"x,,,',
      'u,trial_started,2024-01-02T00:00:00Z,p,,,',
      'u,trial_started,2024-01-03T00:00:00Z,"p,,,',
      'u,trial_started,2024-01-04T00:00:00Z,q,,,',
    ].join('\n');
    for (const chunkBytes of [1, 13, 1 << 16]) {
      const { events, errors, totals } = await parseBytes(csv, { chunkBytes });
      expect(
        events.map((e) => e.event_parameters?.['vendor_product_id']),
      ).toEqual(['p', 'q']);
      expect(errors.map((e) => [e.code, e.location.line])).toEqual([
        ['MALFORMED_ROW', 2],
        ['MALFORMED_ROW', 4],
      ]);
      expect(errors[0].message).toContain('not valid CSV');
      expect(errors[1].raw).toBe('u,trial_started,2024-01-03T00:00:00Z,"p,,,');
      expect(totals).toMatchObject({ rowsRead: 4, events: 2, rowErrors: 2 });
    }
  });

  it('records every row once when papaparse fails further on in the batch', async () => {
    const csv = [
      CASE_HEADER,
      'u,trial_started,soon,p,,,',
      'u,trial_started,2024-01-02T00:00:00Z,p,9.99,,',
      'u,trial_started,2024-01-03T00:00:00Z,"p"x,,,',
      'u,trial_started,2024-01-04T00:00:00Z,q,,,',
    ].join('\n');
    const { events, errors, profileChanges, totals } = await parseBytes(csv);
    expect(
      events.map((e) => e.event_parameters?.['vendor_product_id']),
    ).toEqual(['p', 'q']);
    expect(profileChanges).toHaveLength(2);
    expect(errors.map((e) => [e.code, e.location.line])).toEqual([
      ['INVALID_DATETIME', 2],
      ['MALFORMED_ROW', 4],
    ]);
    expect(totals).toMatchObject({ rowsRead: 4, events: 2, rowErrors: 2 });
  });

  it('records a row over the row limit without holding it, and loads the rest', async () => {
    const big = 'x'.repeat(5000);
    const csv = [
      CASE_HEADER,
      `u,trial_started,2024-01-01T00:00:00Z,${big},,,`,
      'u,trial_started,2024-01-02T00:00:00Z,p,,,',
    ].join('\n');
    const { events, errors, totals } = await parseBytes(csv, {
      limits: { maxRowBytes: 1000 },
      chunkBytes: 256,
    });
    expect(events).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      code: 'ROW_TOO_LARGE',
      scope: 'row',
      location: { line: 2 },
    });
    expect(errors[0].message).toMatch(/at most 1000 bytes \(maxRowBytes\)/);
    expect(errors[0].raw?.startsWith('u,trial_started')).toBe(true);
    expect(totals).toMatchObject({ rowsRead: 2, rowErrors: 1 });
  });

  it('records MISSING_FIELD for an empty event name', async () => {
    const { errors } = await parseBytes(
      `${CASE_HEADER}\nu, ,2024-01-01T00:00:00Z,p,,,\n`,
    );
    expect(errors[0]).toMatchObject({
      code: 'MISSING_FIELD',
      location: { line: 2 },
    });
    expect(errors[0].message).toContain('event_name is empty');
  });

  it('rejects the file as a whole when the header lacks a required column', async () => {
    const { events, errors, totals } = await parseBytes(
      'user_id,event_type,when\nu,trial_started,2024-01-01T00:00:00Z\n',
    );
    expect(events).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      code: 'MISSING_COLUMNS',
      scope: 'file',
      location: {},
    });
    expect(errors[0].message).toContain('lacks event_datetime');
    expect(totals).toMatchObject({ failed: true, rowsRead: 0 });
  });

  it('loads a header without rows as an empty Adapty file', async () => {
    const { chunks, totals } = await parseBytes(`${CASE_HEADER}\r\n`);
    expect(chunks).toEqual([]);
    expect(totals).toMatchObject({ rowsRead: 0, failed: false });
  });

  it('puts at most chunkRows rows in a chunk, each chunk balanced', async () => {
    const rows = Array.from(
      { length: 25 },
      (_, i) =>
        `u${i},trial_started,2024-01-01T00:00:${String(i).padStart(2, '0')}Z,p,${i % 5 === 0 ? 'bad' : '1'},,`,
    );
    const { chunks, totals } = await parseBytes(
      [CASE_HEADER, ...rows].join('\n'),
      {
        chunkRows: 10,
        chunkBytes: 50,
      },
    );
    expect(chunks.map((c) => c.rowsRead)).toEqual([10, 10, 5]);
    for (const chunk of chunks) {
      const rowErrors = chunk.errors.filter((e) => e.scope === 'row').length;
      expect(chunk.rowsRead).toBe(chunk.events.length + rowErrors);
    }
    expect(totals).toMatchObject({ rowsRead: 25, events: 20, rowErrors: 5 });
  });

  it('reads rows with mixed line ends', async () => {
    const csv = `${CASE_HEADER}\nu,trial_started,2024-01-01T00:00:00Z,p,,,\r\nu,trial_started,2024-01-02T00:00:00Z,"p\r\nq",,,\nu,trial_started,2024-01-03T00:00:00Z,p,,,`;
    const { events, errors } = await parseBytes(csv);
    expect(errors).toEqual([]);
    expect(
      events.map((e) => e.event_parameters?.['vendor_product_id']),
    ).toEqual(['p', 'p\r\nq', 'p']);
  });
});
