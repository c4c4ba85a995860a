// Every DTO nests this one; class-transformer's @Type reads design-time metadata.
import 'reflect-metadata';
import { IsNotEmpty, IsString, Matches } from 'class-validator';
import { SourceFileRef } from '../source-file';

export class SourceFileDto implements SourceFileRef {
  @IsString()
  @IsNotEmpty()
  bucket!: string;

  @IsString()
  @IsNotEmpty()
  name!: string;

  @Matches(/^\d+$/, { message: 'generation must be a decimal int64 string' })
  generation!: string;
}
