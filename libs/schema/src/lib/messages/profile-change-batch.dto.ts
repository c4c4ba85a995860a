import { Type } from 'class-transformer';
import { ArrayNotEmpty, IsInt, Min, ValidateNested } from 'class-validator';
import { ProfileChange } from '../profile-change';
import { checkProfileChange } from '../profile-change-check';
import { RowArray } from './row-array';
import { SourceFileDto } from './source-file.dto';

export const MAX_CHANGES_PER_BATCH = 1000;

/**
 * Profile changes from one file, of users that share an ordering key
 * (`profileChangeOrderingKey`), published with that key.
 */
export class ProfileChangeBatchDto {
  @ValidateNested()
  @Type(() => SourceFileDto)
  file!: SourceFileDto;

  @IsInt()
  @Min(0)
  batchIndex!: number;

  @ArrayNotEmpty()
  @RowArray(checkProfileChange, MAX_CHANGES_PER_BATCH)
  changes!: ProfileChange[];
}
