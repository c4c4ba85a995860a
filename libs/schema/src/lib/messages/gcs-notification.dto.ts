import {
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
} from 'class-validator';

/**
 * Attributes of a Cloud Storage Pub/Sub notification (payload JSON_API_V1).
 * Only OBJECT_FINALIZE starts ingestion; the other types are accepted and
 * ignored, so they are valid here.
 */
export class GcsNotificationAttributesDto {
  @IsIn([
    'OBJECT_FINALIZE',
    'OBJECT_METADATA_UPDATE',
    'OBJECT_DELETE',
    'OBJECT_ARCHIVE',
  ])
  eventType!: string;

  @IsString()
  @IsNotEmpty()
  bucketId!: string;

  @IsString()
  @IsNotEmpty()
  objectId!: string;

  @Matches(/^\d+$/)
  objectGeneration!: string;

  @IsIn(['JSON_API_V1'])
  payloadFormat!: string;

  @IsOptional()
  @IsString()
  notificationConfig?: string;

  @IsOptional()
  @IsString()
  eventTime?: string;

  @IsOptional()
  @Matches(/^\d+$/)
  overwroteGeneration?: string;
}

/** The object resource carried as the notification's data. */
export class GcsObjectResourceDto {
  @IsString()
  @IsNotEmpty()
  name!: string;

  @IsString()
  @IsNotEmpty()
  bucket!: string;

  @Matches(/^\d+$/)
  generation!: string;

  @Matches(/^\d+$/)
  size!: string;

  @IsOptional()
  @IsString()
  contentType?: string;

  @IsOptional()
  @IsString()
  md5Hash?: string;

  @IsOptional()
  @IsString()
  crc32c?: string;
}
