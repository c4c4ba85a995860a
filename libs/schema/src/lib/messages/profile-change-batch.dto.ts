import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import { SUBSCRIPTION_STATES, SubscriptionState } from '../adapty-states';
import { ProfileAttributes, ProfileChange } from '../profile-change';
import { NUMERIC_PATTERN } from '../row-check';
import { SourceFileDto } from './source-file.dto';

export const MAX_CHANGES_PER_BATCH = 1000;

class ProfileAttributesDto implements ProfileAttributes {
  @IsOptional() @IsString() city!: string | null;
  @IsOptional() @IsString() region!: string | null;
  @IsOptional() @IsString() country!: string | null;
  @IsOptional() @IsString() os!: string | null;
  @IsOptional() @IsString() app_version!: string | null;
  @IsOptional() @IsString() device!: string | null;
  @IsOptional() @IsString() os_version!: string | null;
}

class SubscriptionChangeDto {
  @IsIn(SUBSCRIPTION_STATES)
  state!: SubscriptionState;

  @IsOptional()
  @IsString()
  product_id!: string | null;

  @IsOptional()
  @IsString()
  cancellation_reason!: string | null;
}

export class ProfileChangeDto implements ProfileChange {
  @IsString()
  @IsNotEmpty()
  user_id!: string;

  @IsString()
  @IsNotEmpty()
  event_id!: string;

  @IsInt()
  event_datetime!: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => ProfileAttributesDto)
  attributes?: ProfileAttributesDto;

  @IsOptional()
  @IsInt()
  install_date?: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => SubscriptionChangeDto)
  subscription?: SubscriptionChangeDto;

  @IsOptional()
  @Matches(NUMERIC_PATTERN)
  revenue?: string;
}

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
  @ArrayMaxSize(MAX_CHANGES_PER_BATCH)
  @ValidateNested({ each: true })
  @Type(() => ProfileChangeDto)
  changes!: ProfileChangeDto[];
}
