const file = { bucket: 'inbox', name: 'adapty/events.csv', generation: '17' };

/** A valid profile-change batch (ProfileChangeBatchDto). */
export const profileChangeBatch = (userId: string, batchIndex = 0) => ({
  file,
  batchIndex,
  changes: [
    {
      user_id: userId,
      event_id: `${userId}-${batchIndex}`,
      event_datetime: 1_700_000_000 + batchIndex,
    },
  ],
});

/** A valid unified-event batch (UnifiedEventBatchDto). */
export const unifiedEventBatch = (batchIndex = 0) => ({
  file,
  batchIndex,
  events: [],
});
