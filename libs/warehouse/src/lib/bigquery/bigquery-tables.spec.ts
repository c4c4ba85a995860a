import {
  toBigQueryFields,
  WAREHOUSE_LAYOUT,
  WAREHOUSE_TABLES,
} from '@event-pipeline/schema';
import { startFakeWarehouse } from './testing/fake-warehouse';
import {
  bigQueryTableMetadata,
  PROFILE_RECONCILE_RUNS_TABLE,
  tableMetadata,
} from './bigquery-tables';
import { TEST_DATASET } from './testing/fake-warehouse';
import { adaptyEvent, inboxFile } from '../../testing/fixtures';

describe('BigQuery tables', () => {
  it.each(WAREHOUSE_TABLES.map((table) => [table.name, table] as const))(
    '%s: schema from libs/schema, key, and the layout the Terraform deploys',
    (name, table) => {
      const layout = WAREHOUSE_LAYOUT[name];
      const metadata = tableMetadata(table);
      expect(metadata.schema).toEqual({
        fields: toBigQueryFields(table.columns),
      });
      expect(metadata.clustering).toEqual({ fields: [...layout.clustering] });
      expect(metadata.tableConstraints).toEqual({
        primaryKey: { columns: [...table.primaryKey] },
      });
      expect(metadata.description).toBe(table.description);
    },
  );

  it('partitions unified_events by integer range on event_datetime, one partition per UTC day', () => {
    expect(tableMetadata(WAREHOUSE_TABLES[0]).rangePartitioning).toEqual({
      field: 'event_datetime',
      range: {
        start: String(Date.UTC(2016, 0, 1) * 1000),
        end: String(Date.UTC(2040, 0, 1) * 1000),
        interval: String(86_400_000_000),
      },
    });
    expect(tableMetadata(PROFILE_RECONCILE_RUNS_TABLE)).not.toHaveProperty(
      'rangePartitioning',
    );
  });

  it('defines the de-duplicating view over unified_events', () => {
    const view = bigQueryTableMetadata(TEST_DATASET).unified_events_dedup.view;
    expect(view?.useLegacySql).toBe(false);
    expect(view?.query).toContain(
      'FROM `test-project.warehouse.unified_events`',
    );
    expect(view?.query).toMatch(
      /QUALIFY ROW_NUMBER\(\) OVER \(\s*PARTITION BY event_datetime, user_id, event_id\s*ORDER BY ingested_at, source_file\s*\) = 1/,
    );
  });

  it('are created when missing, the first time they are touched, and only those', async () => {
    const fake = await startFakeWarehouse();
    try {
      await fake.warehouse.getFileAccounting('gs://b/o#1');
      expect([...fake.server.tables.keys()]).toEqual(['file_accounting']);
      const created = fake.server.tables.get('file_accounting') as Record<
        string,
        unknown
      >;
      expect(created).toMatchObject({
        tableReference: {
          projectId: 'test-project',
          datasetId: 'warehouse',
          tableId: 'file_accounting',
        },
        ...tableMetadata(WAREHOUSE_TABLES[2]),
      });

      await fake.warehouse.insertEventBatch({
        file: inboxFile(),
        batchIndex: 0,
        events: [adaptyEvent('e1', 'u1')],
      });
      expect([...fake.server.tables.keys()].sort()).toEqual([
        'file_accounting',
        'file_batches',
        'profiles',
        'unified_events',
        'unified_events_dedup',
      ]);
      // The view is created after the table it reads.
      const creations = fake.server.requests
        .filter(
          ({ method, path }) => method === 'POST' && path.endsWith('/tables'),
        )
        .map(
          ({ body }) =>
            (body as { tableReference: { tableId: string } }).tableReference
              .tableId,
        );
      expect(creations.indexOf('unified_events')).toBeLessThan(
        creations.indexOf('unified_events_dedup'),
      );
    } finally {
      await fake.close();
    }
  });

  it('are left alone when they exist, or when another instance creates them first', async () => {
    const fake = await startFakeWarehouse();
    try {
      await fake.warehouse.getFileAccounting('gs://b/o#1');
      const second = fake.another();
      await second.getFileAccounting('gs://b/o#1');
      const creations = fake.server.requests.filter(
        ({ method, path }) => method === 'POST' && path.endsWith('/tables'),
      );
      expect(creations).toHaveLength(1);

      // Created meanwhile: the creation answers 409, which is fine.
      const third = fake.another();
      fake.server.failNext('GET', /\/tables\/file_batches$/, [
        { status: 404, reason: 'notFound' },
      ]);
      fake.server.tables.set('file_batches', {});
      await expect(
        third.recordErrorBatch({
          file: inboxFile(),
          batchIndex: 0,
          records: [],
        }),
      ).resolves.toEqual({ records: 0, redelivered: false });
    } finally {
      await fake.close();
    }
  });

  it('names the table and what to do when one cannot be created', async () => {
    const fake = await startFakeWarehouse();
    try {
      fake.server.failNext('POST', /\/tables$/, [
        { status: 403, reason: 'accessDenied' },
      ]);
      await expect(fake.warehouse.listFileAccounting()).rejects.toThrow(
        /Could not create the missing table warehouse\.file_accounting: accessDenied\. Create it with infra\/terraform, or grant this service BigQuery Data Editor on the dataset\./,
      );
      // Not remembered: the next call tries again.
      await expect(fake.warehouse.listFileAccounting()).resolves.toEqual([]);
    } finally {
      await fake.close();
    }
  });
});
