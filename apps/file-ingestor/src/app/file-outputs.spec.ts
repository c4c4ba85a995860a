import { JsonTexts } from '@event-pipeline/parsers';
import {
  errorRecord,
  ProfileChange,
  UnifiedEvent,
  profileChangeOrderingKey,
} from '@event-pipeline/schema';
import {
  DEFAULT_FILE_OUTPUT_LIMITS,
  FileOutputs,
  OutboundMessage,
} from './file-outputs';

const file = {
  bucket: 'event-inbox',
  name: 'adapty.csv',
  generation: '1700000000000000',
};

const event = (n: number, padding = ''): UnifiedEvent => ({
  event_id: `e${n}`,
  source: 'adapty',
  user_id: `u${n % 3}`,
  event_name: 'trial_started',
  event_datetime: 1_700_000_000_000_000 + n,
  city: null,
  region: null,
  country: null,
  os: null,
  app_version: null,
  event_parameters: padding ? { padding } : null,
  proceeds_usd: null,
  profile_total_revenue_usd: null,
  cancellation_reason: null,
  source_file: 'gs://event-inbox/adapty.csv#1700000000000000',
});

const change = (user: string, n: number): ProfileChange => ({
  user_id: user,
  event_id: `e${n}`,
  event_datetime: n,
  revenue: `${n}.99`,
});

const decode = (message: OutboundMessage) =>
  JSON.parse(message.data.toString('utf8'));

/** Values as the parsers hand them over: JSON texts end to end, comma between. */
const texts = (values: readonly unknown[]): JsonTexts => {
  const json = values.map((value) => Buffer.from(JSON.stringify(value)));
  let end = -1;
  return {
    bytes: Buffer.from(json.map((text) => text.toString()).join(',')),
    ends: Uint32Array.from(json, (text) => (end += text.length + 1)),
  };
};

const changeTexts = (changes: readonly ProfileChange[]) => ({
  ...texts(changes),
  userIds: changes.map((change) => change.user_id),
});

describe('FileOutputs', () => {
  it('cuts events into batches of at most eventsPerBatch, indexed from 0, with the file', () => {
    const outputs = new FileOutputs(file, {
      ...DEFAULT_FILE_OUTPUT_LIMITS,
      eventsPerBatch: 2,
    });
    const { messages, tooLarge } = outputs.addEvents(
      texts([1, 2, 3].map((n) => event(n))),
    );
    const last = outputs.finish();
    const batches = [...messages, ...last.messages].map(decode);
    expect(tooLarge).toEqual([]);
    expect(batches).toEqual([
      { file, batchIndex: 0, events: [event(1), event(2)] },
      { file, batchIndex: 1, events: [event(3)] },
    ]);
    expect(last.counts).toEqual({
      eventBatches: 2,
      profileChangeBatches: 0,
      errorBatches: 0,
    });
  });

  it('closes a batch before it would pass the message size, and sets aside an event no message can carry', () => {
    const limits = { ...DEFAULT_FILE_OUTPUT_LIMITS, maxMessageBytes: 2_000 };
    const outputs = new FileOutputs(file, limits);
    const { messages, tooLarge } = outputs.addEvents(
      texts([
        event(1, 'x'.repeat(700)),
        event(2, 'x'.repeat(700)),
        event(3, 'x'.repeat(5_000)),
      ]),
    );
    expect(
      messages
        .map(decode)
        .map((b) => b.events.map((e: UnifiedEvent) => e.event_id)),
    ).toEqual([['e1']]);
    expect(messages.every((m) => m.data.length <= limits.maxMessageBytes)).toBe(
      true,
    );
    expect(tooLarge.map(({ eventId }) => eventId)).toEqual(['e3']);
    expect(outputs.finish().messages.map(decode)[0].events[0].event_id).toBe(
      'e2',
    );
  });

  it('glues the events of several chunks into a batch, in order, leaving out one too large', () => {
    const outputs = new FileOutputs(file, {
      ...DEFAULT_FILE_OUTPUT_LIMITS,
      maxMessageBytes: 3_000,
      eventsPerBatch: 4,
    });
    const first = outputs.addEvents(
      texts([event(1), event(2, 'x'.repeat(5_000)), event(3)]),
    );
    const second = outputs.addEvents(texts([event(4), event(5), event(6)]));
    const batches = [
      ...first.messages,
      ...second.messages,
      ...outputs.finish().messages,
    ].map(decode);
    expect(batches).toEqual([
      { file, batchIndex: 0, events: [1, 3, 4, 5].map((n) => event(n)) },
      { file, batchIndex: 1, events: [event(6)] },
    ]);
    expect(first.tooLarge.map(({ eventId }) => eventId)).toEqual(['e2']);
  });

  it('gathers profile changes over a window, one message per ordering key, each user always under its own key', () => {
    const keyOf = profileChangeOrderingKey;
    const users = Array.from({ length: 200 }, (_, i) => `user-${i}`);
    const a = users[0];
    const b = users.find((u) => u !== a && keyOf(u) === keyOf(a)) as string;
    const c = users.find((u) => keyOf(u) !== keyOf(a)) as string;
    const outputs = new FileOutputs(file, {
      ...DEFAULT_FILE_OUTPUT_LIMITS,
      profileChangeWindow: 4,
    });
    expect(
      outputs.addProfileChanges(changeTexts([change(a, 1), change(c, 2)])),
    ).toEqual([]);
    const window = outputs.addProfileChanges(
      changeTexts([change(b, 3), change(a, 4)]),
    );
    expect(window.map((m) => [m.topic, m.orderingKey])).toEqual([
      ['profileChanges', keyOf(a)],
      ['profileChanges', keyOf(c)],
    ]);
    expect(decode(window[0])).toEqual({
      file,
      batchIndex: 0,
      changes: [change(a, 1), change(b, 3), change(a, 4)],
    });
    outputs.addProfileChanges(changeTexts([change(c, 5)]));
    const rest = outputs.finish();
    expect(
      rest.messages.map((m) => [decode(m).batchIndex, m.orderingKey]),
    ).toEqual([[2, keyOf(c)]]);
    expect(rest.counts.profileChangeBatches).toBe(3);
  });

  it('batches error records', () => {
    const outputs = new FileOutputs(file, {
      ...DEFAULT_FILE_OUTPUT_LIMITS,
      errorsPerBatch: 2,
    });
    const record = (line: number) =>
      errorRecord({
        source_file: 'gs://event-inbox/adapty.csv#1700000000000000',
        location: { line },
        code: 'INVALID_DATETIME',
        message: 'event_datetime: expected ISO-8601, found "soon"',
        occurred_at: '2026-01-01T00:00:00.000Z',
      });
    const full = outputs.addErrors(texts([record(2), record(3), record(4)]));
    const { messages, counts } = outputs.finish();
    expect(
      [...full, ...messages].map((m) => [
        m.topic,
        decode(m).batchIndex,
        decode(m).records.length,
      ]),
    ).toEqual([
      ['ingestErrors', 0, 2],
      ['ingestErrors', 1, 1],
    ]);
    expect(counts.errorBatches).toBe(2);
  });

  it('gives the same messages for the same input, so a file read again repeats its batches', () => {
    const run = () => {
      const outputs = new FileOutputs(file, {
        ...DEFAULT_FILE_OUTPUT_LIMITS,
        eventsPerBatch: 3,
      });
      const events = outputs.addEvents(
        texts([1, 2, 3, 4].map((n) => event(n))),
      ).messages;
      const changes = outputs.addProfileChanges(
        changeTexts([change('a', 1), change('b', 2)]),
      );
      return [...events, ...changes, ...outputs.finish().messages].map((m) =>
        m.data.toString(),
      );
    };
    expect(run()).toEqual(run());
  });
});
