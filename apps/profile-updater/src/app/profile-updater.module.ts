import { HealthModule } from '@event-pipeline/service-kit';
import { WarehouseModule } from '@event-pipeline/warehouse';
import { Module } from '@nestjs/common';
import { ProfileChangesHandler } from './profile-changes.handler';

@Module({
  imports: [HealthModule, WarehouseModule.forRoot()],
  controllers: [ProfileChangesHandler],
})
export class ProfileUpdaterModule {}
