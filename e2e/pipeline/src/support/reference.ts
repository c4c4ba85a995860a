import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import {
  addChunkToTotals,
  emptyParseTotals,
  parseJsonTexts,
  parseSourceFile,
  ParseTotals,
} from '@event-pipeline/parsers';
import { foldProfileChanges } from '@event-pipeline/profile-rules';
import {
  ErrorRecord,
  ProfileChange,
  ProfileRow,
  UnifiedEvent,
} from '@event-pipeline/schema';

/** What a clean run must make of a file: the parsers' output, folded. */
export interface Reference {
  /** By event_id; a repeated id is kept once, as the warehouse does. */
  events: Map<string, UnifiedEvent>;
  errors: ErrorRecord[];
  /** By user id, folded from nothing. */
  profiles: Map<string, ProfileRow>;
  totals: ParseTotals;
}

/** Folds every user's changes from an empty profile. */
export const foldAll = (
  changes: readonly ProfileChange[],
): Map<string, ProfileRow> => {
  const byUser = new Map<string, ProfileChange[]>();
  for (const change of changes) {
    const list = byUser.get(change.user_id);
    if (list) list.push(change);
    else byUser.set(change.user_id, [change]);
  }
  const at = new Date().toISOString();
  return new Map(
    [...byUser].map(([user, list]) => [
      user,
      foldProfileChanges(null, list, at).profile,
    ]),
  );
};

/**
 * Parses the files in this process, with the parsers the file-ingestor
 * runs, and folds their profile changes with the rule the warehouse runs:
 * the tables a clean ingestion of these files must give, whatever happens
 * to the processes on the way.
 */
export const referenceOf = async (
  paths: readonly string[],
): Promise<Reference> => {
  const events = new Map<string, UnifiedEvent>();
  const errors: ErrorRecord[] = [];
  const changes: ProfileChange[] = [];
  const totals = emptyParseTotals();
  for (const path of paths) {
    const file = { bucket: 'reference', name: basename(path), generation: '1' };
    for await (const chunk of parseSourceFile(createReadStream(path), {
      file,
    })) {
      for (const event of parseJsonTexts<UnifiedEvent>(chunk.events))
        events.set(event.event_id, event);
      errors.push(...parseJsonTexts<ErrorRecord>(chunk.errors));
      changes.push(...parseJsonTexts<ProfileChange>(chunk.profileChanges));
      addChunkToTotals(totals, chunk);
    }
  }
  return { events, errors, profiles: foldAll(changes), totals };
};
