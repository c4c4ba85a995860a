import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { FILE_KINDS, FileKind } from '../file-accounting';
import { SourceFileDto } from './source-file.dto';

/** What the file-ingestor read from one file and how many batches it published. */
export class ManifestTotalsDto {
  @IsInt() @Min(0) rowsRead!: number;
  @IsInt() @Min(0) rowErrors!: number;
  @IsInt() @Min(0) fileErrors!: number;
  @IsInt() @Min(0) profileChanges!: number;
  @IsInt() @Min(0) eventBatches!: number;
  @IsInt() @Min(0) profileChangeBatches!: number;
  @IsInt() @Min(0) errorBatches!: number;
}

/**
 * Published when the file-ingestor starts a file (`started`) and once every
 * batch of it has been accepted by Pub/Sub (`finished`, with totals).
 */
export class FileManifestDto {
  @ValidateNested()
  @Type(() => SourceFileDto)
  file!: SourceFileDto;

  @IsIn(['started', 'finished'])
  phase!: 'started' | 'finished';

  @IsOptional()
  @IsIn(FILE_KINDS)
  kind!: FileKind | null;

  @IsISO8601()
  startedAt!: string;

  @ValidateIf((m: FileManifestDto) => m.phase === 'finished')
  @IsISO8601()
  finishedAt?: string;

  /** True when the file failed as a whole (unknown format, corrupt ZIP...). */
  @ValidateIf((m: FileManifestDto) => m.phase === 'finished')
  @IsBoolean()
  failed?: boolean;

  @ValidateIf((m: FileManifestDto) => m.phase === 'finished')
  @ValidateNested()
  @Type(() => ManifestTotalsDto)
  totals?: ManifestTotalsDto;
}
