import { resolveTopology } from '@event-pipeline/schema';
import { createStorageClient } from '@event-pipeline/service-kit';
import { Bucket } from '@google-cloud/storage';
import { Injectable } from '@nestjs/common';

/** Writes NDJSON logs to the errors bucket through the official client. */
@Injectable()
export class ErrorLogWriter {
  private readonly bucket: Bucket = createStorageClient().bucket(
    resolveTopology().buckets.errors,
  );

  /**
   * One JSON document per line. An existing log of that name is replaced,
   * unless `keepExisting` is set: then the first log written stays.
   */
  async write(
    name: string,
    lines: readonly unknown[],
    { keepExisting = false } = {},
  ): Promise<string> {
    const body = lines.map((line) => `${JSON.stringify(line)}\n`).join('');
    try {
      await this.bucket.file(name).save(body, {
        resumable: false,
        contentType: 'application/x-ndjson',
        ...(keepExisting && { preconditionOpts: { ifGenerationMatch: 0 } }),
      });
    } catch (error) {
      // 412: the log exists, and is kept.
      if (!keepExisting || (error as { code?: unknown }).code !== 412) {
        throw error;
      }
    }
    return `gs://${this.bucket.name}/${name}`;
  }
}
