import JSZip from 'jszip';
import {
  ErrorRecord,
  ProfileChange,
  SourceFileRef,
  UnifiedEvent,
} from '@event-pipeline/schema';
import { parseJsonTexts } from '../lib/json-texts';
import { parseSourceFile } from '../lib/parse-source-file';
import { ParseSourceFileOptions } from '../lib/parse-options';
import {
  addChunkToTotals,
  emptyParseTotals,
  ParsedChunk,
  ParseTotals,
} from '../lib/parsed-chunk';

export const TEST_FILE: SourceFileRef = {
  bucket: 'inbox',
  name: 'exports/file',
  generation: '1700000000000001',
};

/** A chunk with its JSON read back into objects. */
export interface DecodedChunk {
  kind: ParsedChunk['kind'];
  rowsRead: number;
  events: UnifiedEvent[];
  profileChanges: ProfileChange[];
  errors: ErrorRecord[];
}

/** Reads a chunk's JSON back, and checks that its user ids and scopes match the JSON. */
export const decodeChunk = (chunk: ParsedChunk): DecodedChunk => {
  const profileChanges = parseJsonTexts<ProfileChange>(chunk.profileChanges);
  const errors = parseJsonTexts<ErrorRecord>(chunk.errors);
  const userIds = profileChanges.map((change) => change.user_id);
  const scopes = errors.map((error) => error.scope);
  if (JSON.stringify(userIds) !== JSON.stringify(chunk.profileChanges.userIds))
    throw new Error(
      `user ids ${chunk.profileChanges.userIds} do not match the changes`,
    );
  if (JSON.stringify(scopes) !== JSON.stringify(chunk.errors.scopes))
    throw new Error(`scopes ${chunk.errors.scopes} do not match the records`);
  return {
    kind: chunk.kind,
    rowsRead: chunk.rowsRead,
    events: parseJsonTexts<UnifiedEvent>(chunk.events),
    profileChanges,
    errors,
  };
};

export interface ParsedFile {
  chunks: DecodedChunk[];
  events: UnifiedEvent[];
  profileChanges: ProfileChange[];
  errors: ErrorRecord[];
  totals: ParseTotals;
}

/** Yields bytes in chunks of `size`, the way a download stream would. */
export async function* inChunks(
  bytes: Buffer,
  size = 64 * 1024,
): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) {
    yield bytes.subarray(i, i + size);
  }
}

/** Parses a whole file held in memory and gathers every chunk. */
export const parseBytes = async (
  bytes: Buffer | string,
  options: Partial<ParseSourceFileOptions> & { chunkBytes?: number } = {},
): Promise<ParsedFile> => {
  const { chunkBytes, ...parseOptions } = options;
  const input = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  const file: ParsedFile = {
    chunks: [],
    events: [],
    profileChanges: [],
    errors: [],
    totals: emptyParseTotals(),
  };
  for await (const chunk of parseSourceFile(inChunks(input, chunkBytes), {
    file: TEST_FILE,
    ...parseOptions,
  })) {
    const decoded = decodeChunk(chunk);
    file.chunks.push(decoded);
    file.events.push(...decoded.events);
    file.profileChanges.push(...decoded.profileChanges);
    file.errors.push(...decoded.errors);
    addChunkToTotals(file.totals, chunk);
  }
  return file;
};

/** A GA4 export event as Google's BigQuery export writes it, with overrides. */
export const ga4Event = (
  overrides: Record<string, unknown> = {},
): Record<string, unknown> => ({
  event_date: '20231204',
  event_timestamp: '1701665082201167',
  event_name: 'screen_view',
  event_params: [
    {
      key: 'ga_session_id',
      value: {
        string_value: null,
        int_value: '1701665082',
        float_value: null,
        double_value: null,
      },
    },
    {
      key: 'firebase_screen_class',
      value: {
        string_value: 'Paywall',
        int_value: null,
        float_value: null,
        double_value: null,
      },
    },
  ],
  event_previous_timestamp: null,
  event_bundle_sequence_id: '100',
  user_id: null,
  user_pseudo_id: '13128ae84a.1690000016',
  user_first_touch_timestamp: '1701663600959449',
  device: {
    category: 'mobile',
    mobile_brand_name: 'Samsung',
    mobile_model_name: 'SM-G991B',
    mobile_marketing_name: 'Galaxy S21 5G',
    operating_system: 'Android',
    operating_system_version: 'Android 13',
  },
  geo: {
    city: 'Istanbul',
    country: 'Turkey',
    continent: 'Asia',
    region: 'Istanbul',
    sub_continent: 'Western Asia',
    metro: '(not set)',
  },
  app_info: { id: 'com.example.app', version: '2.0.4' },
  stream_id: '5976585638',
  platform: 'ANDROID',
  batch_event_index: '3',
  batch_ordering_id: '100',
  ...overrides,
});

export type ZipEntries = Record<string, string | Buffer | null>;

/** A ZIP of the given entries (null makes a folder), deflated. */
export const zipOf = async (entries: ZipEntries): Promise<Buffer> => {
  const zip = new JSZip();
  for (const [name, content] of Object.entries(entries)) {
    if (content === null) zip.folder(name);
    else zip.file(name, content);
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
};

/** A JSON array of events, pretty-printed with tabs as the GA4 export does. */
export const prettyArray = (events: unknown[]): string =>
  JSON.stringify(events, null, '\t');

export const ndjson = (events: unknown[]): string =>
  events.map((event) => JSON.stringify(event)).join('\n') + '\n';
