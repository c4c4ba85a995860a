import {
  GcsNotificationAttributesDto,
  GcsObjectResourceDto,
  SourceFileRef,
  Topology,
} from '@event-pipeline/schema';

export type InboxDecision =
  | { ingest: true; file: SourceFileRef }
  | {
      ingest: false;
      reason: string;
      /**
       * False for a file left out by the bucket or prefix setting, which an
       * operator wants to see; true for other events and folder placeholders.
       */
      routine: boolean;
    };

/**
 * Whether a Cloud Storage notification starts an ingestion: only a finalized
 * object of the inbox bucket, under the inbox prefix, and not a folder
 * placeholder. Anything else is acknowledged and ignored.
 */
export const decideInboxObject = (
  eventType: GcsNotificationAttributesDto['eventType'],
  object: GcsObjectResourceDto,
  topology: Pick<Topology, 'buckets' | 'inboxPrefix'>,
): InboxDecision => {
  const where = `gs://${object.bucket}/${object.name}#${object.generation}`;
  if (eventType !== 'OBJECT_FINALIZE') {
    return { ingest: false, reason: `${eventType} of ${where}`, routine: true };
  }
  if (object.bucket !== topology.buckets.inbox) {
    return {
      ingest: false,
      reason: `${where} is outside the inbox bucket ${topology.buckets.inbox}`,
      routine: false,
    };
  }
  if (!object.name.startsWith(topology.inboxPrefix)) {
    return {
      ingest: false,
      reason: `${where} is outside the inbox prefix ${topology.inboxPrefix}`,
      routine: false,
    };
  }
  if (object.name.endsWith('/')) {
    return {
      ingest: false,
      reason: `${where} is a folder placeholder`,
      routine: true,
    };
  }
  return {
    ingest: true,
    file: {
      bucket: object.bucket,
      name: object.name,
      generation: object.generation,
    },
  };
};
