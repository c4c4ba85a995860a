import { BigQuery, Job, Query } from '@google-cloud/bigquery';
import { encodeParam, ParamType, RESULT_INTEGERS } from './bigquery-values';
import { isTransientBigQueryError, RetryPolicy, withRetry } from './retry';

/** The dataset every statement of the adapter works in. */
export interface DatasetRef {
  projectId: string;
  datasetId: string;
}

/** `project.dataset.table`, quoted for GoogleSQL. */
export const tablePath = (dataset: DatasetRef, table: string): string =>
  `\`${dataset.projectId}.${dataset.datasetId}.${table}\``;

/**
 * A column name quoted for GoogleSQL: several of the schema's names (`rows`)
 * are reserved words there.
 */
export const ident = (name: string): string => `\`${name}\``;

/** One SQL statement or script with its named parameters. */
export interface Statement {
  /**
   * Short kebab-case name, sent as the job label `warehouse_statement`, so
   * that costs and failures in INFORMATION_SCHEMA.JOBS or the billing export
   * can be told apart by statement.
   */
  name: string;
  sql: string;
  params: Record<string, unknown>;
  types: Record<string, ParamType>;
}

export const STATEMENT_LABEL = 'warehouse_statement';

/** A job with the id asked for exists already. */
export const isDuplicateJob = (error: unknown): boolean =>
  (error as { code?: unknown }).code === 409;

/**
 * Runs statements as query jobs (jobs.insert, then getQueryResults until
 * done) and returns their result rows as the client parses them. Every
 * statement the adapter sends is idempotent, so a job that failed for a
 * transient reason is simply run again.
 */
export class BigQueryStatements {
  constructor(
    private readonly client: BigQuery,
    private readonly location: string | undefined,
    private readonly retry: RetryPolicy,
  ) {}

  rows(statement: Statement): Promise<Record<string, unknown>[]> {
    return withRetry(this.retry, isTransientBigQueryError, async () =>
      this.results(await this.start(statement)),
    );
  }

  /**
   * Runs the statement under a job id of the caller's choosing, once: null
   * when a job with that id exists already, which makes the id a claim that
   * several instances can race for.
   */
  async rowsOnce(
    statement: Statement,
    jobId: string,
  ): Promise<Record<string, unknown>[] | null> {
    let job: Job;
    try {
      job = await this.start(statement, jobId);
    } catch (error) {
      if (isDuplicateJob(error)) return null;
      throw error;
    }
    return this.results(job);
  }

  private async start(statement: Statement, jobId?: string): Promise<Job> {
    const params = Object.fromEntries(
      Object.entries(statement.types).map(([name, type]) => [
        name,
        encodeParam(type, statement.params[name]),
      ]),
    );
    const [job] = await this.client.createQueryJob({
      query: statement.sql,
      params,
      // ParamType is the client's own type notation, spelled more strictly.
      types: statement.types as unknown as Query['types'],
      location: this.location,
      labels: { [STATEMENT_LABEL]: statement.name },
      ...(jobId === undefined ? {} : { jobId }),
    });
    return job;
  }

  private async results(job: Job): Promise<Record<string, unknown>[]> {
    const [rows] = await job.getQueryResults({
      wrapIntegers: RESULT_INTEGERS,
      parseJSON: true,
    });
    return rows as Record<string, unknown>[];
  }
}
