/**
 * The version of a field group: the event that last set it. Versions order
 * by event time, ties broken by the larger event id, which makes the order
 * total and independent of arrival order.
 */
export interface EventVersion {
  event_datetime: number;
  event_id: string;
}

export const isLaterVersion = (
  candidate: EventVersion,
  current: EventVersion | null,
): boolean =>
  current === null ||
  candidate.event_datetime > current.event_datetime ||
  (candidate.event_datetime === current.event_datetime &&
    candidate.event_id > current.event_id);

/** Earliest wins (install date); ties still go to the larger event id. */
export const isEarlierVersion = (
  candidate: EventVersion,
  current: EventVersion | null,
): boolean =>
  current === null ||
  candidate.event_datetime < current.event_datetime ||
  (candidate.event_datetime === current.event_datetime &&
    candidate.event_id > current.event_id);
