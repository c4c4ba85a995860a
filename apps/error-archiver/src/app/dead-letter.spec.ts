import { DEAD_LETTER_ATTRIBUTES } from '@event-pipeline/pubsub-transport';
import { readDeadLetter } from './dead-letter';

const file = {
  bucket: 'event-inbox',
  name: 'adapty.csv',
  generation: '1726644121000000',
};
const received = new Date('2026-11-26T10:00:00Z');

describe('readDeadLetter', () => {
  it('reads a message Pub/Sub forwarded after its last attempt', () => {
    const data = Buffer.from(
      JSON.stringify({ file, batchIndex: 3, events: [] }),
    );
    const letter = readDeadLetter(
      data,
      {
        CloudPubSubDeadLetterSourceSubscription: 'event-streamer',
        CloudPubSubDeadLetterSourceDeliveryCount: '5',
        CloudPubSubDeadLetterSourceTopicPublishTime:
          '2026-11-25T08:00:00.000+00:00',
      },
      received,
    );
    expect(letter).toMatchObject({
      subscription: 'event-streamer',
      file,
      publishedAt: new Date('2026-11-25T08:00:00Z'),
      record: {
        source_file: 'gs://event-inbox/adapty.csv#1726644121000000',
        scope: 'message',
        code: 'DEAD_LETTERED',
        message: expect.stringContaining(
          'event-streamer failed 5 delivery attempts',
        ),
        raw: data.toString(),
        dead_letter: { data_base64: data.toString('base64') },
      },
    });
  });

  it('reads a message the transport refused, with its errors', () => {
    const letter = readDeadLetter(
      Buffer.from('{"oops'),
      {
        [DEAD_LETTER_ATTRIBUTES.subscription]: 'profile-updater',
        [DEAD_LETTER_ATTRIBUTES.reason]: 'invalid-message',
        [DEAD_LETTER_ATTRIBUTES.errors]: '["data is not JSON"]',
      },
      received,
    );
    expect(letter.file).toBeUndefined();
    expect(letter.publishedAt).toEqual(received);
    expect(letter.record.message).toBe(
      'A message on subscription profile-updater was refused (invalid-message): ["data is not JSON"]',
    );
  });

  it('finds the file of a Cloud Storage notification in its attributes', () => {
    const letter = readDeadLetter(
      Buffer.from('{}'),
      {
        bucketId: file.bucket,
        objectId: file.name,
        objectGeneration: file.generation,
      },
      received,
    );
    expect(letter.file).toEqual(file);
  });

  it('gives the same key each time the same message is dead-lettered, and another for another message', () => {
    const data = Buffer.from('{"batchIndex":1}');
    const key = (attempts: string, body = data) =>
      readDeadLetter(
        body,
        {
          CloudPubSubDeadLetterSourceSubscription: 's',
          CloudPubSubDeadLetterSourceDeliveryCount: attempts,
        },
        received,
      ).key;
    expect(key('5')).toBe(key('6'));
    expect(key('5')).not.toBe(key('5', Buffer.from('{"batchIndex":2}')));
  });
});
