import {
  addChunkToTotals,
  emptyParseTotals,
  errorChunk,
  ParsedChunk,
  parseSourceFile,
  ParserPool,
  ParseTotals,
} from '@event-pipeline/parsers';
import {
  errorRecord,
  ErrorRecord,
  FileManifestDto,
  SourceFileRef,
  sourceFileUri,
} from '@event-pipeline/schema';
import { PipelinePublisher } from '@event-pipeline/service-kit';
import { Warehouse, WAREHOUSE } from '@event-pipeline/warehouse';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  FILE_INGESTOR_CONFIG,
  FileIngestorConfig,
} from './file-ingestor.config';
import { FileOutputs, OutboundMessage, OutputCounts } from './file-outputs';
import { skipReason } from './known-file';
import { ObjectReader } from './object-reader';
import { PARSER_POOL } from './parser-pool.provider';
import { PublishWindow } from './publish-window';

export type IngestOutcome =
  | { skipped: true; status: string }
  | { skipped: false; totals: ParseTotals; counts: OutputCounts };

/**
 * Reads one file end to end: streams it, parses it, publishes its events,
 * profile changes and error records, then its manifest. It returns only
 * once Pub/Sub has accepted every message, so the notification is acked
 * after all of the file's output is safe; a crash before that means the
 * notification comes back and the file is read again, which adds nothing
 * twice because batches and events carry stable ids.
 */
@Injectable()
export class FileIngestion {
  private readonly logger = new Logger(FileIngestion.name);

  constructor(
    @Inject(WAREHOUSE) private readonly warehouse: Warehouse,
    private readonly publisher: PipelinePublisher,
    private readonly objects: ObjectReader,
    @Inject(FILE_INGESTOR_CONFIG) private readonly config: FileIngestorConfig,
    @Inject(PARSER_POOL) private readonly parsers: ParserPool | null,
  ) {}

  async ingest(file: SourceFileRef): Promise<IngestOutcome> {
    const uri = sourceFileUri(file);
    const known = await this.warehouse.getFileAccounting(uri);
    const skip = known && skipReason(known);
    if (known && skip) {
      this.logger.log(`${uri} ${skip}; skipped`);
      return { skipped: true, status: known.status };
    }
    const startedAt = new Date().toISOString();
    await this.publisher.publish('fileManifests', {
      file,
      phase: 'started',
      kind: null,
      startedAt,
    } satisfies FileManifestDto);

    const outputs = new FileOutputs(file, this.config.outputs);
    const window = new PublishWindow(
      this.config.maxPublishesInFlight,
      this.config.maxPublishBytesInFlight,
    );
    const send = async (messages: readonly OutboundMessage[]) => {
      for (const message of messages) {
        await window.add(
          () =>
            this.publisher.publish(message.topic, message.data, {
              orderingKey: message.orderingKey,
            }),
          message.data.length,
        );
      }
    };

    const totals = emptyParseTotals();
    for await (const chunk of await this.chunksOf(file, uri)) {
      addChunkToTotals(totals, chunk);
      const { messages, tooLarge } = outputs.addEvents(chunk.events);
      await send(messages);
      await send(outputs.addProfileChanges(chunk.profileChanges));
      await send(outputs.addErrors(chunk.errors));
      if (tooLarge.length > 0) {
        const rejected = errorChunk(
          tooLarge.map(({ eventId, bytes }) =>
            tooLargeRecord(uri, eventId, bytes),
          ),
        );
        addChunkToTotals(totals, rejected);
        totals.events -= tooLarge.length;
        await send(outputs.addErrors(rejected.errors));
      }
    }
    const { messages, counts } = outputs.finish();
    await send(messages);
    await window.drain();

    await this.publisher.publish('fileManifests', {
      file,
      phase: 'finished',
      kind: totals.kind,
      startedAt,
      finishedAt: new Date().toISOString(),
      failed: totals.failed,
      totals: {
        rowsRead: totals.rowsRead,
        rowErrors: totals.rowErrors,
        fileErrors: totals.fileErrors,
        profileChanges: totals.profileChanges,
        eventBatches: counts.eventBatches,
        profileChangeBatches: counts.profileChangeBatches,
        errorBatches: counts.errorBatches,
      },
    } satisfies FileManifestDto);
    this.logger.log(
      `${uri}: ${totals.rowsRead} rows read, ${totals.events} events, ` +
        `${totals.rowErrors} row errors, ${totals.fileErrors} file errors`,
    );
    return { skipped: false, totals, counts };
  }

  /** The parsed chunks, or one file-scope record when that generation is gone. */
  private async chunksOf(
    file: SourceFileRef,
    uri: string,
  ): Promise<AsyncIterable<ParsedChunk> | Iterable<ParsedChunk>> {
    const object = await this.objects.open(file);
    if (object) {
      return parseSourceFile(object.stream, {
        file,
        size: object.size,
        limits: this.config.limits,
        pool: this.parsers ?? undefined,
      });
    }
    const gone = errorRecord({
      source_file: uri,
      location: {},
      code: 'FILE_UNREADABLE',
      message: `${uri} no longer exists: the object was deleted or replaced before it could be read`,
    });
    return [errorChunk([gone])];
  }
}

const tooLargeRecord = (
  uri: string,
  eventId: string,
  bytes: number,
): ErrorRecord =>
  errorRecord({
    source_file: uri,
    location: {},
    code: 'ROW_REJECTED',
    message:
      `event ${eventId} takes ${bytes} bytes as JSON, more than one Pub/Sub message may carry; ` +
      'its source row was read but it cannot be loaded',
  });
