import { Module } from '@nestjs/common';
import { HealthModule } from '@event-pipeline/service-kit';

@Module({ imports: [HealthModule] })
export class ErrorArchiverModule {}
