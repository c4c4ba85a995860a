import { PubSubMessageContract } from '@event-pipeline/pubsub-transport';
import { FileManifestDto } from '@event-pipeline/schema';
import { Warehouse, WAREHOUSE } from '@event-pipeline/warehouse';
import { Controller, Inject, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';

const fileManifests: PubSubMessageContract = { dto: FileManifestDto };

/** Takes the file-ingestor's manifests into the file accounting. */
@Controller()
export class FileManifestsHandler {
  private readonly logger = new Logger(FileManifestsHandler.name);

  constructor(@Inject(WAREHOUSE) private readonly warehouse: Warehouse) {}

  @EventPattern('fileManifests', fileManifests)
  async record(@Payload() manifest: FileManifestDto): Promise<void> {
    const accounting = await this.warehouse.recordFileManifest(manifest);
    if (accounting.status !== 'processing') {
      this.logger.log(`${accounting.source_file} ${accounting.status}`);
    }
  }
}
