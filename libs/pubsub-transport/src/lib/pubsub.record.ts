export interface PubSubRecordOptions {
  /** String attributes published alongside the data. */
  attributes?: Record<string, string>;
  /**
   * Messages with the same key are delivered in publish order to
   * subscriptions with message ordering enabled.
   */
  orderingKey?: string;
}

/**
 * Data to emit together with attributes or an ordering key:
 * `client.emit('profileChanges', new PubSubRecord(batch, { orderingKey }))`.
 */
export class PubSubRecord<T = unknown> {
  constructor(
    readonly data: T,
    readonly options: PubSubRecordOptions = {},
  ) {}
}
