import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  Min,
  ValidateNested,
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
  Validate,
} from 'class-validator';
import { compileRowCheck } from '../row-check';
import { UNIFIED_EVENT_COLUMNS, UnifiedEvent } from '../unified-event';
import { SourceFileDto } from './source-file.dto';

export const MAX_EVENTS_PER_BATCH = 1000;

const PARSED_EVENT_COLUMNS = UNIFIED_EVENT_COLUMNS.filter(
  (c) => c.name !== 'state' && c.name !== 'ingested_at',
);

/** The compiled check of one unified event as it crosses Pub/Sub. */
export const checkUnifiedEvent = compileRowCheck(PARSED_EVENT_COLUMNS);

/**
 * Rows are checked with the compiled row check rather than one DTO instance
 * per row: class-validator is for message envelopes, not for a thousand rows.
 */
@ValidatorConstraint({ name: 'unifiedEvents' })
class UnifiedEventsConstraint implements ValidatorConstraintInterface {
  private problem = '';

  validate(events: unknown): boolean {
    if (!Array.isArray(events)) return false;
    for (let i = 0; i < events.length; i++) {
      const problem = checkUnifiedEvent(events[i]);
      if (problem) {
        this.problem = `events[${i}].${problem}`;
        return false;
      }
    }
    return true;
  }

  defaultMessage(args: ValidationArguments): string {
    return (
      this.problem || `${args.property} must be an array of unified events`
    );
  }
}

export class UnifiedEventBatchDto {
  @ValidateNested()
  @Type(() => SourceFileDto)
  file!: SourceFileDto;

  @IsInt()
  @Min(0)
  batchIndex!: number;

  @IsArray()
  @ArrayMaxSize(MAX_EVENTS_PER_BATCH)
  @Validate(UnifiedEventsConstraint)
  events!: UnifiedEvent[];
}
