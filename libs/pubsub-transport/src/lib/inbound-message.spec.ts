import {
  GcsNotificationAttributesDto,
  GcsObjectResourceDto,
  ProfileChangeBatchDto,
} from '@event-pipeline/schema';
import { readInboundMessage } from './inbound-message';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

const batch = {
  file: { bucket: 'inbox', name: 'adapty/events.csv', generation: '17' },
  batchIndex: 0,
  changes: [
    { user_id: 'user-1', event_id: 'event-1', event_datetime: 1_700_000_000 },
  ],
};

describe('readInboundMessage', () => {
  it('hands over the decoded JSON when the pattern has no contract', () => {
    expect(readInboundMessage(json({ any: ['thing'] }), {}, {})).toEqual({
      ok: true,
      data: { any: ['thing'] },
    });
  });

  it('refuses data that is not JSON, whatever the contract', () => {
    const read = readInboundMessage(Buffer.from('{"oops'), {}, {});
    expect(read.ok).toBe(false);
    expect(!read.ok && read.errors[0]).toMatch(/^data is not JSON \(/);
    expect(readInboundMessage(Buffer.alloc(0), {}, {}).ok).toBe(false);
  });

  it('hands over the bytes as received to a raw pattern, JSON or not', () => {
    const bytes = Buffer.from([0xff, 0x00, 0x7b]);
    expect(readInboundMessage(bytes, {}, { raw: true })).toEqual({
      ok: true,
      data: bytes,
    });
  });

  it('hands over an instance of the DTO when the data is valid', () => {
    const read = readInboundMessage(
      json(batch),
      {},
      { dto: ProfileChangeBatchDto },
    );
    expect(read.ok).toBe(true);
    expect(read.ok && read.data).toBeInstanceOf(ProfileChangeBatchDto);
    expect(read.ok && read.data).toMatchObject(batch);
  });

  it('lists every problem of invalid data with its path', () => {
    const read = readInboundMessage(
      json({
        ...batch,
        batchIndex: -1,
        changes: [{ ...batch.changes[0], event_datetime: 'x' }],
      }),
      {},
      { dto: ProfileChangeBatchDto },
    );
    expect(read).toEqual({
      ok: false,
      errors: [
        'batchIndex: batchIndex must not be less than 0',
        'changes: changes[0].event_datetime: expected a safe integer, found "x"',
      ],
    });
  });

  it('refuses a body that is not an object when a DTO is expected', () => {
    expect(
      readInboundMessage(json([batch]), {}, { dto: ProfileChangeBatchDto }),
    ).toEqual({
      ok: false,
      errors: ['message body must be a JSON object'],
    });
  });

  it('checks the attributes too, naming them as such', () => {
    const attributes = {
      eventType: 'OBJECT_FINALIZE',
      bucketId: 'inbox',
      objectId: 'a.csv',
      objectGeneration: 'not-a-number',
      payloadFormat: 'JSON_API_V1',
    };
    const read = readInboundMessage(
      json({ name: 'a.csv', bucket: 'inbox', generation: '1' }),
      attributes,
      {
        dto: GcsObjectResourceDto,
        attributesDto: GcsNotificationAttributesDto,
      },
    );
    expect(read).toEqual({
      ok: false,
      errors: [
        expect.stringMatching(/^attributes\.objectGeneration: /),
        expect.stringMatching(/^size: /),
      ],
    });
  });
});
