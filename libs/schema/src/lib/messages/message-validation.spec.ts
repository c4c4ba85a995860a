import { FileManifestDto } from './file-manifest.dto';
import { validateMessage } from './message-validation';
import { ProfileChangeBatchDto } from './profile-change-batch.dto';
import { SourceFileDto } from './source-file.dto';
import { UnifiedEventBatchDto } from './unified-event-batch.dto';

const file = { bucket: 'inbox', name: 'a.csv', generation: '1' };
const event = {
  event_id: 'e1',
  source: 'adapty',
  user_id: 'u1',
  event_name: 'trial_started',
  event_datetime: 1700000000000000,
  city: null,
  region: null,
  country: null,
  os: null,
  app_version: null,
  event_parameters: { store: 'app_store' },
  proceeds_usd: '2.09',
  profile_total_revenue_usd: null,
  cancellation_reason: null,
  source_file: 'gs://inbox/a.csv#1',
};

describe('validateMessage', () => {
  it('accepts a unified event batch', () => {
    const result = validateMessage(UnifiedEventBatchDto, {
      file,
      batchIndex: 0,
      events: [event],
    });
    expect(result.ok).toBe(true);
  });

  it('locates a bad row inside a batch', () => {
    const result = validateMessage(UnifiedEventBatchDto, {
      file,
      batchIndex: 0,
      events: [event, { ...event, proceeds_usd: 2.09 }],
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        expect.stringMatching(
          /^events: events\[1\]\.proceeds_usd: expected a decimal string/,
        ),
      ],
    });
  });

  it('reports nested envelope errors with their path', () => {
    const result = validateMessage(ProfileChangeBatchDto, {
      file: { ...file, generation: 'x' },
      batchIndex: -1,
      changes: [
        {
          user_id: 'u1',
          event_id: 'e1',
          event_datetime: 1,
          subscription: { state: 'gone' },
        },
      ],
    });
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^file\.generation:/),
        expect.stringMatching(/^batchIndex:/),
        expect.stringMatching(
          /^changes: changes\[0\]\.subscription\.state: expected one of trial, active,/,
        ),
      ]),
    );
  });

  it('hands rows over as they arrived, and the envelope as instances', () => {
    const events = [event];
    const result = validateMessage(UnifiedEventBatchDto, {
      file,
      batchIndex: 0,
      events,
      producer: 'kept',
    });
    expect(result.ok).toBe(true);
    const batch = result.ok ? result.value : null;
    expect(batch).toBeInstanceOf(UnifiedEventBatchDto);
    expect(batch?.file).toBeInstanceOf(SourceFileDto);
    expect(batch?.events).toBe(events);
    expect(batch).toMatchObject({ producer: 'kept' });
  });

  /** What validateMessage finds wrong with a batch of `rows` (none when valid). */
  const batchErrors = (
    dto: new () => object,
    property: string,
    rows: unknown,
  ): string[] => {
    const result = validateMessage(dto, {
      file,
      batchIndex: 0,
      [property]: rows,
    });
    return result.ok ? [] : result.errors;
  };

  it('says what is wrong with the rows array itself', () => {
    const errorsOf = (events: unknown) =>
      batchErrors(UnifiedEventBatchDto, 'events', events);
    expect(errorsOf(undefined)).toEqual([
      expect.stringMatching(/^events: events must be an array/),
      expect.stringMatching(/^events: events must contain no more than 1000/),
    ]);
    expect(errorsOf(Array.from({ length: 1001 }, () => event))).toEqual([
      expect.stringMatching(/^events: events must contain no more than 1000/),
    ]);
    // A row problem found before is not repeated for the next message.
    expect(errorsOf([{ ...event, user_id: 1 }])).toEqual([
      expect.stringMatching(/^events: events\[0\]\.user_id: expected a string/),
    ]);
    expect(errorsOf([event, 5])).toEqual([
      'events: events[1]: expected an object, found 5',
    ]);
  });

  it('requires profile changes, each checked', () => {
    const errorsOf = (changes: unknown) =>
      batchErrors(ProfileChangeBatchDto, 'changes', changes);
    const change = { user_id: 'u1', event_id: 'e1', event_datetime: 1 };
    expect(errorsOf([change, { ...change, revenue: '9.99' }])).toEqual([]);
    expect(errorsOf([])).toEqual([
      expect.stringMatching(/^changes: changes should not be empty/),
    ]);
    expect(errorsOf([change, { ...change, event_id: '' }])).toEqual([
      'changes: changes[1].event_id: expected a non-empty string, found ""',
    ]);
  });

  it('requires totals only on a finished manifest', () => {
    const started = {
      file,
      phase: 'started',
      kind: 'ga4',
      startedAt: '2026-01-01T00:00:00Z',
    };
    expect(validateMessage(FileManifestDto, started).ok).toBe(true);
    expect(
      validateMessage(FileManifestDto, { ...started, phase: 'finished' }).ok,
    ).toBe(false);
  });

  it('rejects a body that is not an object', () => {
    expect(validateMessage(FileManifestDto, [1])).toEqual({
      ok: false,
      errors: ['message body must be a JSON object'],
    });
  });
});
