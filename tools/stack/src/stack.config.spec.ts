import { DEFAULT_TOPOLOGY } from '@event-pipeline/schema';
import {
  DEFAULT_PORTS,
  PORT_VARIABLES,
  readStackConfig,
  stackLocation,
} from './stack.config';

describe('readStackConfig', () => {
  it('defaults to .data under the working folder and the documented ports', () => {
    const config = readStackConfig({}, '/repo');
    expect(config.dataDir).toBe('/repo/.data');
    expect(config.warehousePath).toBe('/repo/.data/warehouse.sqlite');
    expect(config.ports).toEqual(DEFAULT_PORTS);
    expect(config.ports).toMatchObject({
      'file-ingestor': 8081,
      'event-streamer': 8082,
      'profile-updater': 8083,
      'error-archiver': 8084,
      pubsub: 8085,
      storage: 4443,
    });
    expect(config.host).toBe('127.0.0.1');
    expect(config.projectId).toBe('local-project');
  });

  it('reads every port, the folders and the timeouts from the environment', () => {
    const config = readStackConfig(
      {
        DATA_DIR: 'tmp/run',
        WAREHOUSE_SQLITE_PATH: '/elsewhere/w.sqlite',
        PUBSUB_PORT: '1',
        STORAGE_PORT: '2',
        FILE_INGESTOR_PORT: '3',
        EVENT_STREAMER_PORT: '4',
        PROFILE_UPDATER_PORT: '5',
        ERROR_ARCHIVER_PORT: '0',
        STACK_READY_TIMEOUT_SECONDS: '1.5',
        STACK_STOP_TIMEOUT_SECONDS: '2',
        GOOGLE_CLOUD_PROJECT: 'p',
        INBOX_BUCKET: 'in',
      },
      '/repo',
    );
    expect(config.dataDir).toBe('/repo/tmp/run');
    expect(config.warehousePath).toBe('/elsewhere/w.sqlite');
    expect(config.ports).toEqual({
      pubsub: 1,
      storage: 2,
      'file-ingestor': 3,
      'event-streamer': 4,
      'profile-updater': 5,
      'error-archiver': 0,
    });
    expect(config.readyTimeoutMs).toBe(1500);
    expect(config.stopTimeoutMs).toBe(2000);
    expect(config.projectId).toBe('p');
    expect(config.topology.buckets.inbox).toBe('in');
  });

  it('names the variable of a bad value', () => {
    expect(() => readStackConfig({ EVENT_STREAMER_PORT: 'x' })).toThrow(
      /EVENT_STREAMER_PORT must be a port/,
    );
    expect(() => readStackConfig({ STORAGE_PORT: '70000' })).toThrow(
      /STORAGE_PORT/,
    );
    expect(() =>
      readStackConfig({ STACK_READY_TIMEOUT_SECONDS: '-1' }),
    ).toThrow(/STACK_READY_TIMEOUT_SECONDS/);
  });

  it('lists every port variable', () => {
    expect([...PORT_VARIABLES].sort()).toEqual([
      'ERROR_ARCHIVER_PORT',
      'EVENT_STREAMER_PORT',
      'FILE_INGESTOR_PORT',
      'PROFILE_UPDATER_PORT',
      'PUBSUB_PORT',
      'STORAGE_PORT',
    ]);
  });
});

describe('stackLocation', () => {
  it('derives the endpoints and the bucket folders', () => {
    const location = stackLocation(readStackConfig({}, '/repo'));
    expect(location.endpoints).toEqual({
      projectId: 'local-project',
      pubsub: '127.0.0.1:8085',
      storage: 'http://127.0.0.1:4443',
      services: {
        'file-ingestor': 'http://127.0.0.1:8081',
        'event-streamer': 'http://127.0.0.1:8082',
        'profile-updater': 'http://127.0.0.1:8083',
        'error-archiver': 'http://127.0.0.1:8084',
      },
    });
    expect(location.inboxDir).toBe(
      `/repo/.data/storage/${DEFAULT_TOPOLOGY.buckets.inbox}`,
    );
    expect(location.errorsDir).toBe(
      `/repo/.data/storage/${DEFAULT_TOPOLOGY.buckets.errors}`,
    );
    expect(location.logDir).toBe('/repo/.data/logs');
  });
});
