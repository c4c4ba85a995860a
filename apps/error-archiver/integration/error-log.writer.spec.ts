import { localStorageClient } from '@event-pipeline/local-cloud';
import { PipelineTestBed } from '@event-pipeline/service-kit/testing';
import { ErrorLogWriter } from '../src/app/error-log.writer';

describe('ErrorLogWriter on the local Cloud Storage', () => {
  let bed: PipelineTestBed;
  let writer: ErrorLogWriter;

  beforeAll(async () => {
    bed = await PipelineTestBed.start();
    writer = new ErrorLogWriter();
  });

  afterAll(() => bed.stop());

  const read = async (name: string) => {
    const [content] = await localStorageClient(bed.cloud)
      .bucket(bed.topology.buckets.errors)
      .file(name)
      .download();
    return content.toString('utf8');
  };

  it('writes the lines as NDJSON and replaces a log of the same name', async () => {
    const name = 'errors/dt=2024-09-18/a.csv/1/errors-000000.ndjson';
    await expect(writer.write(name, [{ n: 1 }, { n: 2 }])).resolves.toBe(
      `gs://${bed.topology.buckets.errors}/${name}`,
    );
    expect(await read(name)).toBe('{"n":1}\n{"n":2}\n');
    await writer.write(name, [{ n: 3 }]);
    expect(await read(name)).toBe('{"n":3}\n');
  });

  it('keeps the first log when asked to', async () => {
    const name = 'errors/dt=2024-09-18/a.csv/1/rejected-000000.ndjson';
    await writer.write(name, [{ reason: 'first' }], { keepExisting: true });
    await expect(
      writer.write(name, [{ reason: 'second' }], { keepExisting: true }),
    ).resolves.toBe(`gs://${bed.topology.buckets.errors}/${name}`);
    expect(await read(name)).toBe('{"reason":"first"}\n');
  });
});
