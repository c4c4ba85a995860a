import type { NotificationConfig } from './notification-configs';
import type { ObjectRecord } from './object-record';
import { notificationsFor } from './notifications';

const object: ObjectRecord = {
  bucket: 'event-inbox',
  name: 'in/2024/file.csv',
  generation: '1700000000000002',
  metageneration: '1',
  contentType: 'text/csv',
  size: 3,
  md5Hash: 'md5',
  crc32c: 'crc',
  timeCreated: '2024-09-18T07:22:41.000Z',
  updated: '2024-09-18T07:22:41.000Z',
  file: { size: 3, mtimeMs: 1 },
};

const config = (
  overrides: Partial<NotificationConfig> = {},
): NotificationConfig => ({
  id: '1',
  topic: '//pubsub.googleapis.com/projects/p/topics/gcs-notifications',
  payload_format: 'JSON_API_V1',
  ...overrides,
});

describe('notificationsFor', () => {
  it('sets the attributes Google sets, custom ones too, and the resource as data', () => {
    const [message] = notificationsFor(
      {
        type: 'OBJECT_FINALIZE',
        object,
        overwroteGeneration: '1700000000000001',
      },
      [config({ custom_attributes: { team: 'data' } })],
      'http://127.0.0.1:4443',
    );
    expect(message.topic).toBe('projects/p/topics/gcs-notifications');
    expect(message.attributes).toEqual({
      team: 'data',
      notificationConfig:
        'projects/_/buckets/event-inbox/notificationConfigs/1',
      eventType: 'OBJECT_FINALIZE',
      payloadFormat: 'JSON_API_V1',
      bucketId: 'event-inbox',
      objectId: 'in/2024/file.csv',
      objectGeneration: '1700000000000002',
      eventTime: '2024-09-18T07:22:41.000Z',
      overwroteGeneration: '1700000000000001',
    });
    expect(JSON.parse(message.data)).toMatchObject({
      name: 'in/2024/file.csv',
      bucket: 'event-inbox',
      generation: '1700000000000002',
      size: '3',
    });
  });

  it('marks the replaced generation of an overwrite with overwrittenByGeneration', () => {
    const now = new Date('2024-09-19T00:00:00Z');
    const [message] = notificationsFor(
      {
        type: 'OBJECT_DELETE',
        object,
        overwrittenByGeneration: '1700000000000003',
      },
      [config()],
      '',
      now,
    );
    expect(message.attributes).toMatchObject({
      eventType: 'OBJECT_DELETE',
      overwrittenByGeneration: '1700000000000003',
      eventTime: now.toISOString(),
    });
  });

  it('keeps to the event types and the object name prefix of each config', () => {
    const configs = [
      config({ id: '1', event_types: ['OBJECT_DELETE'] }),
      config({ id: '2', object_name_prefix: 'out/' }),
      config({
        id: '3',
        object_name_prefix: 'in/',
        event_types: ['OBJECT_FINALIZE'],
      }),
      config({ id: '4', payload_format: 'NONE' }),
    ];
    const messages = notificationsFor(
      { type: 'OBJECT_FINALIZE', object },
      configs,
      '',
    );
    expect(
      messages.map((m) => m.attributes['notificationConfig'].split('/').pop()),
    ).toEqual(['3', '4']);
    expect(messages[1].data).toBe('');
  });
});
