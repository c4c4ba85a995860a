import { DEFAULT_TOPOLOGY } from '@event-pipeline/schema';
import {
  PUBSUB_TRANSPORT_DEFAULTS,
  resolveClientOptions,
  resolveConnection,
  resolveServerOptions,
} from './pubsub-transport.options';

describe('resolveConnection', () => {
  it('takes the project from the option, then GOOGLE_CLOUD_PROJECT, then PUBSUB_PROJECT_ID', () => {
    const env = {
      GOOGLE_CLOUD_PROJECT: 'from-google',
      PUBSUB_PROJECT_ID: 'from-pubsub',
    };
    expect(resolveConnection({ projectId: 'explicit' }, env).projectId).toBe(
      'explicit',
    );
    expect(resolveConnection({}, env).projectId).toBe('from-google');
    expect(
      resolveConnection({}, { PUBSUB_PROJECT_ID: 'from-pubsub' }).projectId,
    ).toBe('from-pubsub');
  });

  it('stops when no project is given, naming where to give one', () => {
    expect(() => resolveConnection({}, { GOOGLE_CLOUD_PROJECT: ' ' })).toThrow(
      'Pub/Sub project id missing: set the projectId option, GOOGLE_CLOUD_PROJECT or PUBSUB_PROJECT_ID',
    );
  });

  it('uses the emulator from the option, else PUBSUB_EMULATOR_HOST, else Google', () => {
    const env = { PUBSUB_EMULATOR_HOST: '127.0.0.1:8085' };
    expect(
      resolveConnection({ projectId: 'p', emulatorHost: 'localhost:9' }, env)
        .emulatorHost,
    ).toBe('localhost:9');
    expect(resolveConnection({ projectId: 'p' }, env).emulatorHost).toBe(
      '127.0.0.1:8085',
    );
    expect(
      resolveConnection({ projectId: 'p' }, {}).emulatorHost,
    ).toBeUndefined();
  });

  it('resolves the topology from the environment unless one is given', () => {
    const env = { SUBSCRIPTION_PROFILE_UPDATER: 'profiles-v2' };
    expect(
      resolveConnection({ projectId: 'p' }, env).topology.subscriptions
        .profileUpdater.name,
    ).toBe('profiles-v2');
    expect(
      resolveConnection({ projectId: 'p', topology: DEFAULT_TOPOLOGY }, env)
        .topology,
    ).toBe(DEFAULT_TOPOLOGY);
  });
});

describe('resolveServerOptions', () => {
  it('fills in the defaults', () => {
    expect(resolveServerOptions({ projectId: 'p' }, {})).toMatchObject({
      flowControl: PUBSUB_TRANSPORT_DEFAULTS.flowControl,
      shutdownTimeoutMs: PUBSUB_TRANSPORT_DEFAULTS.shutdownTimeoutMs,
    });
  });

  it('keeps what is given', () => {
    const resolved = resolveServerOptions(
      {
        projectId: 'p',
        flowControl: { maxMessages: 4 },
        shutdownTimeoutMs: 5000,
      },
      {},
    );
    expect(resolved.flowControl).toEqual({
      maxMessages: 4,
      maxBytes: PUBSUB_TRANSPORT_DEFAULTS.flowControl.maxBytes,
    });
    expect(resolved.shutdownTimeoutMs).toBe(5000);
  });

  it('refuses flow control that is not a positive integer', () => {
    expect(() =>
      resolveServerOptions(
        { projectId: 'p', flowControl: { maxMessages: 0 } },
        {},
      ),
    ).toThrow('flowControl.maxMessages must be a positive integer, found 0');
  });

  it('refuses a shutdown timeout the client library would turn into immediate nacks', () => {
    expect(() =>
      resolveServerOptions({ projectId: 'p', shutdownTimeoutMs: 500 }, {}),
    ).toThrow('shutdownTimeoutMs must be at least 1000, found 500');
  });
});

describe('resolveClientOptions', () => {
  it('merges the batching settings over the defaults', () => {
    expect(
      resolveClientOptions(
        { projectId: 'p', batching: { maxMilliseconds: 50 } },
        {},
      ).batching,
    ).toEqual({ ...PUBSUB_TRANSPORT_DEFAULTS.batching, maxMilliseconds: 50 });
  });

  it('refuses batching settings that are not positive integers', () => {
    expect(() =>
      resolveClientOptions({ projectId: 'p', batching: { maxBytes: 1.5 } }, {}),
    ).toThrow('batching.maxBytes must be a positive integer, found 1.5');
  });
});
