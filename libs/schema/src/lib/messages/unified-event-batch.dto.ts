import { Type } from 'class-transformer';
import { IsInt, Min, ValidateNested } from 'class-validator';
import { compileRowCheck } from '../row-check';
import { UNIFIED_EVENT_COLUMNS, UnifiedEvent } from '../unified-event';
import { RowArray } from './row-array';
import { SourceFileDto } from './source-file.dto';

export const MAX_EVENTS_PER_BATCH = 1000;

const PARSED_EVENT_COLUMNS = UNIFIED_EVENT_COLUMNS.filter(
  (c) => c.name !== 'state' && c.name !== 'ingested_at',
);

/** The compiled check of one unified event as it crosses Pub/Sub. */
export const checkUnifiedEvent = compileRowCheck(PARSED_EVENT_COLUMNS);

export class UnifiedEventBatchDto {
  @ValidateNested()
  @Type(() => SourceFileDto)
  file!: SourceFileDto;

  @IsInt()
  @Min(0)
  batchIndex!: number;

  @RowArray(checkUnifiedEvent, MAX_EVENTS_PER_BATCH)
  events!: UnifiedEvent[];
}
