import {
  FileAccountingRow,
  finishedManifestRecorded,
} from '@event-pipeline/schema';

/**
 * Why a file the accounting already knows need not be read again, or null
 * when it must be. A settled file is done; so is one whose finished manifest
 * is recorded, even while its batches are still being committed: every
 * message of it was accepted by Pub/Sub, and a second read (of a duplicate
 * notification) could only repeat them or, had the object changed or gone
 * since, contradict them.
 */
export const skipReason = (known: FileAccountingRow): string | null => {
  if (known.status !== 'processing') return `is already ${known.status}`;
  if (finishedManifestRecorded(known)) {
    return 'has its finished manifest recorded, its batches still committing';
  }
  return null;
};
