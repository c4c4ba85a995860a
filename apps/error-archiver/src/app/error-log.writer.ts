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

  /** One JSON document per line; an existing log of that name is replaced. */
  async write(name: string, lines: readonly unknown[]): Promise<string> {
    const body = lines.map((line) => `${JSON.stringify(line)}\n`).join('');
    await this.bucket.file(name).save(body, {
      resumable: false,
      contentType: 'application/x-ndjson',
    });
    return `gs://${this.bucket.name}/${name}`;
  }
}
