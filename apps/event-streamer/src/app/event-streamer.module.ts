import {
  HealthModule,
  PipelinePublisherModule,
} from '@event-pipeline/service-kit';
import { WarehouseModule } from '@event-pipeline/warehouse';
import { Module } from '@nestjs/common';
import { FileManifestsHandler } from './file-manifests.handler';
import { UnifiedEventsHandler } from './unified-events.handler';

@Module({
  imports: [HealthModule, PipelinePublisherModule, WarehouseModule.forRoot()],
  controllers: [UnifiedEventsHandler, FileManifestsHandler],
})
export class EventStreamerModule {}
