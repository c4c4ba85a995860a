import { HealthModule } from '@event-pipeline/service-kit';
import { WarehouseModule } from '@event-pipeline/warehouse';
import { Module } from '@nestjs/common';
import { ProfileChangesHandler } from './profile-changes.handler';
import { ProfileColumnsReconciler } from './profile-columns.reconciler';

@Module({
  imports: [HealthModule, WarehouseModule.forRoot()],
  controllers: [ProfileChangesHandler],
  providers: [ProfileColumnsReconciler],
})
export class ProfileUpdaterModule {}
