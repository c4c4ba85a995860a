import type { Message } from '@google-cloud/pubsub';
import {
  DEAD_LETTER_ATTRIBUTES,
  errorsAttribute,
  INVALID_MESSAGE_REASON,
  invalidMessageDeadLetter,
} from './dead-letter';

describe('invalidMessageDeadLetter', () => {
  it('keeps the data and attributes and says where the message came from and why', () => {
    const data = Buffer.from('{"not":"valid"}');
    const dead = invalidMessageDeadLetter(
      {
        data,
        attributes: { source: 'adapty' },
        id: '42',
        publishTime: new Date(
          '2026-01-02T03:04:05.123Z',
        ) as Message['publishTime'],
        deliveryAttempt: 1,
      },
      'profile-updater',
      ['batchIndex: batchIndex must not be less than 0'],
    );
    expect(dead.data).toBe(data);
    expect(dead.attributes).toEqual({
      source: 'adapty',
      [DEAD_LETTER_ATTRIBUTES.subscription]: 'profile-updater',
      [DEAD_LETTER_ATTRIBUTES.messageId]: '42',
      [DEAD_LETTER_ATTRIBUTES.publishTime]: '2026-01-02T03:04:05.123Z',
      [DEAD_LETTER_ATTRIBUTES.deliveryAttempt]: '1',
      [DEAD_LETTER_ATTRIBUTES.reason]: INVALID_MESSAGE_REASON,
      [DEAD_LETTER_ATTRIBUTES.errors]: '["batchIndex: batchIndex must not be less than 0"]',
    });
  });
});

describe('errorsAttribute', () => {
  it('is the errors as a JSON array when they fit', () => {
    expect(JSON.parse(errorsAttribute(['a', 'b"c']))).toEqual(['a', 'b"c']);
  });

  it('stays within an attribute value, saying how many errors it left out', () => {
    const errors = Array.from(
      { length: 500 },
      (_, i) => `changes.${i}.user_id: é must be a string`,
    );
    const value = errorsAttribute(errors);
    expect(Buffer.byteLength(value)).toBeLessThanOrEqual(1024);
    const shown: string[] = JSON.parse(value);
    expect(shown.slice(0, -1)).toEqual(errors.slice(0, shown.length - 1));
    expect(shown.at(-1)).toBe(`… and ${500 - (shown.length - 1)} more`);
  });

  it('shortens a single huge error rather than dropping it', () => {
    const shown: string[] = JSON.parse(errorsAttribute(['x'.repeat(5000)]));
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatch(/^x+…$/);
  });
});
