import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  ERROR_CODES,
  ErrorCode,
  ErrorLocation,
  ErrorRecord,
  ErrorScope,
} from '../error-record';
import { SourceFileDto } from './source-file.dto';

export const MAX_ERRORS_PER_BATCH = 500;

class ErrorLocationDto implements ErrorLocation {
  @IsOptional() @IsInt() @Min(1) line?: number;
  @IsOptional() @IsString() entry?: string;
  @IsOptional() @IsInt() @Min(0) index?: number;
}

export class ErrorRecordDto implements ErrorRecord {
  @IsString()
  source_file!: string;

  @IsIn(['file', 'entry', 'row', 'message'])
  scope!: ErrorScope;

  @ValidateNested()
  @Type(() => ErrorLocationDto)
  location!: ErrorLocationDto;

  @IsIn(ERROR_CODES)
  code!: ErrorCode;

  @IsString()
  message!: string;

  @IsOptional()
  @IsString()
  raw!: string | null;

  @IsISO8601()
  occurred_at!: string;
}

/**
 * Who found the errors: the file-ingestor's batches are announced by its
 * manifest and counted towards the file being done; the event-streamer's
 * are rows the warehouse refused, already counted when it wrote the batch
 * (`batchIndex` is then the index of that event batch).
 */
export const ERROR_BATCH_ORIGINS = ['file-ingestor', 'event-streamer'] as const;
export type ErrorBatchOrigin = (typeof ERROR_BATCH_ORIGINS)[number];

export class ErrorRecordBatchDto {
  @ValidateNested()
  @Type(() => SourceFileDto)
  file!: SourceFileDto;

  @IsInt()
  @Min(0)
  batchIndex!: number;

  @IsOptional()
  @IsIn(ERROR_BATCH_ORIGINS)
  origin?: ErrorBatchOrigin;

  @ArrayMaxSize(MAX_ERRORS_PER_BATCH)
  @ValidateNested({ each: true })
  @Type(() => ErrorRecordDto)
  records!: ErrorRecordDto[];
}
