import { SourceFileRef } from '@event-pipeline/schema';
import { createStorageClient } from '@event-pipeline/service-kit';
import { Storage } from '@google-cloud/storage';
import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';

const NOT_FOUND = 404;

/** Streams one generation of an object through the official client. */
@Injectable()
export class ObjectReader {
  private readonly storage: Storage = createStorageClient();

  /**
   * The object's bytes, checked against its CRC32C once fully read, and its
   * size, or null when that generation no longer exists (deleted or
   * replaced since the notification was sent).
   */
  async open(
    file: SourceFileRef,
  ): Promise<{ stream: Readable; size: number } | null> {
    const object = this.storage.bucket(file.bucket).file(file.name, {
      generation: file.generation,
    });
    let size: number;
    try {
      const [metadata] = await object.getMetadata();
      size = Number(metadata.size);
    } catch (error) {
      if ((error as { code?: number }).code === NOT_FOUND) return null;
      throw error;
    }
    return { stream: object.createReadStream({ validation: 'crc32c' }), size };
  }
}
