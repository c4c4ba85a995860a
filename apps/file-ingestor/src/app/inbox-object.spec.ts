import { decideInboxObject } from './inbox-object';

const topology = {
  buckets: { inbox: 'event-inbox', errors: 'event-errors' },
  inboxPrefix: 'exports/',
};
const object = (bucket: string, name: string) => ({
  bucket,
  name,
  generation: '1700000000000000',
  size: '10',
});

describe('decideInboxObject', () => {
  it('ingests a finalized object of the inbox under its prefix', () => {
    expect(
      decideInboxObject(
        'OBJECT_FINALIZE',
        object('event-inbox', 'exports/a.zip'),
        topology,
      ),
    ).toEqual({
      ingest: true,
      file: {
        bucket: 'event-inbox',
        name: 'exports/a.zip',
        generation: '1700000000000000',
      },
    });
  });

  it.each([
    [
      'OBJECT_DELETE',
      'event-inbox',
      'exports/a.zip',
      /^OBJECT_DELETE of gs:\/\/event-inbox\/exports\/a.zip#/,
      true,
    ],
    [
      'OBJECT_FINALIZE',
      'other',
      'exports/a.zip',
      /outside the inbox bucket event-inbox/,
      false,
    ],
    [
      'OBJECT_FINALIZE',
      'event-inbox',
      'archive/a.zip',
      /outside the inbox prefix exports\//,
      false,
    ],
    [
      'OBJECT_FINALIZE',
      'event-inbox',
      'exports/day1/',
      /folder placeholder/,
      true,
    ],
  ])(
    'ignores %s of gs://%s/%s, saying why and whether it is routine',
    (eventType, bucket, name, reason, routine) => {
      const decision = decideInboxObject(
        eventType,
        object(bucket, name),
        topology,
      );
      expect(decision).toEqual({
        ingest: false,
        reason: expect.stringMatching(reason),
        routine,
      });
    },
  );
});
