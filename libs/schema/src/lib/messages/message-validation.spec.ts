import { FileManifestDto } from './file-manifest.dto';
import { validateMessage } from './message-validation';
import { ProfileChangeBatchDto } from './profile-change-batch.dto';
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
        expect.stringMatching(/^changes\.0\.subscription\.state:/),
      ]),
    );
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
