/**
 * Ack ids name one delivery: the subscription incarnation (so a deleted and
 * recreated subscription rejects old ids), the message number and which
 * delivery of it this was (so a late nack of an earlier delivery is ignored).
 */
export interface AckIdParts {
  subscriptionUid: string;
  messageNumber: number;
  delivery: number;
}

export const formatAckId = (parts: AckIdParts): string =>
  `${parts.subscriptionUid}.${parts.messageNumber.toString(36)}.${parts.delivery.toString(36)}`;

export const parseAckId = (ackId: string): AckIdParts | undefined => {
  const [subscriptionUid, number, delivery, extra] = ackId.split('.');
  if (extra !== undefined || !subscriptionUid || !number || !delivery) return undefined;
  const messageNumber = parseInt(number, 36);
  const deliveryNumber = parseInt(delivery, 36);
  if (!Number.isSafeInteger(messageNumber) || !Number.isSafeInteger(deliveryNumber)) {
    return undefined;
  }
  return { subscriptionUid, messageNumber, delivery: deliveryNumber };
};
