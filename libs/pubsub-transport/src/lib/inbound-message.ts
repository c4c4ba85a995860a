import { validateMessage } from '@event-pipeline/schema';
import { describeError } from './error-message';

type DtoClass = new () => object;

/**
 * The DTOs a pattern's messages must satisfy, given as the extras of the
 * handler: `@EventPattern('profileUpdater', { dto: ProfileChangeBatchDto })`.
 */
export interface PubSubMessageContract {
  /** Validates the JSON data; the handler receives an instance of it. */
  dto?: DtoClass;
  /** Validates the attributes (Cloud Storage notifications carry theirs there). */
  attributesDto?: DtoClass;
  /**
   * Hands the handler the data as received, a Buffer, undecoded: for a
   * consumer that must keep whatever arrives, such as the dead-letter archive.
   */
  raw?: boolean;
}

export type InboundMessage =
  | { ok: true; data: unknown }
  | { ok: false; errors: string[] };

const decodeJson = (
  data: Buffer,
): { ok: true; body: unknown } | { ok: false; error: string } => {
  try {
    return { ok: true, body: JSON.parse(data.toString('utf8')) };
  } catch (error) {
    return { ok: false, error: `data is not JSON (${describeError(error)})` };
  }
};

/**
 * Decodes a message's JSON data and checks it and its attributes against
 * the pattern's contract. A message that fails will fail the same way on
 * every redelivery, so the caller dead-letters it instead of nacking.
 */
export const readInboundMessage = (
  data: Buffer,
  attributes: Readonly<Record<string, string>>,
  contract: PubSubMessageContract,
): InboundMessage => {
  if (contract.raw) return { ok: true, data };
  const decoded = decodeJson(data);
  if (!decoded.ok) return { ok: false, errors: [decoded.error] };
  const attributesChecked = contract.attributesDto
    ? validateMessage(contract.attributesDto, { ...attributes })
    : undefined;
  const attributeErrors =
    attributesChecked && !attributesChecked.ok
      ? attributesChecked.errors.map((error) => `attributes.${error}`)
      : [];
  const body = contract.dto
    ? validateMessage(contract.dto, decoded.body)
    : ({ ok: true, value: decoded.body } as const);
  if (body.ok && attributeErrors.length === 0) {
    return { ok: true, data: body.value };
  }
  return {
    ok: false,
    errors: [...attributeErrors, ...(body.ok ? [] : body.errors)],
  };
};
