import {
  PubSubContext,
  PubSubMessageContract,
} from '@event-pipeline/pubsub-transport';
import {
  deadLetterLogName,
  finishedManifestRecorded,
  resolveTopology,
  SourceFileRef,
  sourceFileUri,
} from '@event-pipeline/schema';
import { Warehouse, WAREHOUSE } from '@event-pipeline/warehouse';
import { Controller, Inject, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { readDeadLetter } from './dead-letter';
import { DeadLetterSettlement, settlementOf } from './dead-letter-accounting';
import { ErrorLogWriter } from './error-log.writer';

/** Whatever arrives is kept, JSON or not. */
const deadLetters: PubSubMessageContract = { raw: true };

@Controller()
export class DeadLettersHandler {
  private readonly logger = new Logger(DeadLettersHandler.name);
  private readonly topology = resolveTopology();

  constructor(
    private readonly logs: ErrorLogWriter,
    @Inject(WAREHOUSE) private readonly warehouse: Warehouse,
  ) {}

  /**
   * Archives the message whole, then settles what it leaves open: a batch
   * that will never commit, a file that could never be read, or a manifest
   * never recorded would otherwise keep its file `processing` for ever.
   */
  @EventPattern('deadLetterArchiver', deadLetters)
  async archive(
    @Payload() data: Buffer,
    @Ctx() context: PubSubContext,
  ): Promise<void> {
    const letter = readDeadLetter(
      data,
      context.getAttributes(),
      context.getPublishTime(),
    );
    const name = deadLetterLogName(
      letter.subscription,
      letter.key,
      letter.file,
      letter.publishedAt,
    );
    const uri = await this.logs.write(name, [letter.record]);
    if (letter.file) {
      await this.settle(
        settlementOf(letter.subscription, letter.file, data, this.topology),
        letter.file,
      );
    }
    this.logger.warn(
      `dead-lettered message from ${letter.subscription} archived to ${uri}`,
    );
  }

  private async settle(
    settlement: DeadLetterSettlement,
    file: SourceFileRef,
  ): Promise<void> {
    switch (settlement.kind) {
      case 'batch':
        await this.warehouse.recordDeadLetteredBatch({ file, ...settlement });
        return;
      case 'file': {
        // A duplicate notification of a file read through fails nothing.
        const known = await this.warehouse.getFileAccounting(
          sourceFileUri(file),
        );
        if (known && finishedManifestRecorded(known)) return;
        const at = new Date().toISOString();
        await this.warehouse.recordFileManifest({
          file,
          phase: 'finished',
          kind: null,
          startedAt: at,
          finishedAt: at,
          failed: true,
          totals: {
            rowsRead: 0,
            rowErrors: 0,
            fileErrors: 1,
            profileChanges: 0,
            eventBatches: 0,
            profileChangeBatches: 0,
            errorBatches: 0,
          },
        });
        return;
      }
      case 'manifest':
        await this.warehouse.recordFileManifest(settlement.manifest);
        return;
      case 'none':
        return;
    }
  }
}
