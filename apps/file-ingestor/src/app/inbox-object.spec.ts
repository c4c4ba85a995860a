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
    ],
    [
      'OBJECT_FINALIZE',
      'other',
      'exports/a.zip',
      /outside the inbox bucket event-inbox/,
    ],
    [
      'OBJECT_FINALIZE',
      'event-inbox',
      'archive/a.zip',
      /outside the inbox prefix exports\//,
    ],
    ['OBJECT_FINALIZE', 'event-inbox', 'exports/day1/', /folder placeholder/],
  ])(
    'ignores %s of gs://%s/%s, saying why',
    (eventType, bucket, name, reason) => {
      const decision = decideInboxObject(
        eventType,
        object(bucket, name),
        topology,
      );
      expect(decision.ingest).toBe(false);
      expect(!decision.ingest && decision.reason).toMatch(reason);
    },
  );
});
