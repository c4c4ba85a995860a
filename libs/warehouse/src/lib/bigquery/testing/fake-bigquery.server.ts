import { BigQueryOptions } from '@google-cloud/bigquery';
import {
  createServer,
  IncomingHttpHeaders,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';

/** A request as the server received it, for assertions. */
export interface RecordedRequest {
  method: string;
  /** After /bigquery/v2. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown> | undefined;
}

/** A result schema field, as BigQuery describes it. */
export interface ResultField {
  name: string;
  type: string;
  mode?: 'NULLABLE' | 'REQUIRED' | 'REPEATED';
  fields?: ResultField[];
}

export interface QueryJob {
  jobId: string;
  sql: string;
  /** Decoded from the request's queryParameters: INT64 as numbers, NUMERIC and TIMESTAMP as text. */
  params: Record<string, unknown>;
  labels: Record<string, string>;
}

export interface QueryAnswer {
  schema: ResultField[];
  rows: Record<string, unknown>[];
}

export interface LoadJob {
  jobId: string;
  load: Record<string, unknown>;
}

/** A BigQuery error: a reason such as backendError or invalid, and a message. */
export interface FakeError {
  reason: string;
  message?: string;
}

export interface StoredRow {
  insertId: string;
  json: Record<string, unknown>;
}

interface StoredJob {
  resource: Record<string, unknown>;
  answer?: QueryAnswer;
  error?: FakeError;
}

interface Fault {
  method: string;
  path: RegExp;
  responses: { status: number; reason: string }[];
}

type Params = {
  name: string;
  parameterType: ParamType;
  parameterValue: ParamValue;
}[];
interface ParamType {
  type: string;
  arrayType?: ParamType;
  structTypes?: { name: string; type: ParamType }[];
}
interface ParamValue {
  value?: unknown;
  arrayValues?: ParamValue[];
  structValues?: Record<string, ParamValue>;
}

const decodeParam = (
  type: ParamType,
  value: ParamValue | undefined,
): unknown => {
  if (type.type === 'ARRAY') {
    return (value?.arrayValues ?? []).map((item) =>
      decodeParam(type.arrayType as ParamType, item),
    );
  }
  if (type.type === 'STRUCT') {
    if (!value?.structValues) return null;
    return Object.fromEntries(
      (type.structTypes ?? []).map(({ name, type: fieldType }) => [
        name,
        decodeParam(fieldType, value.structValues?.[name]),
      ]),
    );
  }
  const scalar = value?.value ?? null;
  if (scalar === null) return null;
  if (type.type === 'INT64') return Number(scalar);
  if (type.type === 'BOOL') return scalar === true || scalar === 'true';
  return scalar;
};

const encodeCell = (field: ResultField, value: unknown): unknown => {
  if (value === null || value === undefined) return null;
  if (field.mode === 'REPEATED') {
    return (value as unknown[]).map((item) => ({
      v: encodeCell({ ...field, mode: 'NULLABLE' }, item),
    }));
  }
  switch (field.type) {
    case 'RECORD':
    case 'STRUCT':
      return encodeRow(field.fields ?? [], value as Record<string, unknown>);
    case 'TIMESTAMP':
      return String(BigInt(Date.parse(String(value))) * 1000n);
    case 'JSON':
      return typeof value === 'string' ? value : JSON.stringify(value);
    default:
      return String(value);
  }
};

const encodeRow = (fields: ResultField[], row: Record<string, unknown>) => ({
  f: fields.map((field) => ({ v: encodeCell(field, row[field.name]) })),
});

const errorBody = (status: number, error: FakeError) => ({
  error: {
    code: status,
    message: error.message ?? error.reason,
    errors: [{ reason: error.reason, message: error.message ?? error.reason }],
  },
});

const readBody = async (request: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
};

/**
 * A local HTTP server that answers the BigQuery REST calls the official
 * client makes (tables.get/insert, tabledata.insertAll, jobs.insert,
 * jobs.get, jobs.getQueryResults), records every request, and lets a test
 * decide what queries return, which rows insertAll refuses, and which
 * requests fail with an HTTP error first.
 */
export class FakeBigQueryServer {
  readonly requests: RecordedRequest[] = [];
  readonly tables = new Map<string, Record<string, unknown>>();
  readonly rows = new Map<string, StoredRow[]>();
  private readonly jobs = new Map<string, StoredJob>();
  private readonly faults: Fault[] = [];
  private readonly attempts = new Map<string, number>();
  private queryHandler: (job: QueryJob) => QueryAnswer = () => ({
    schema: [],
    rows: [],
  });
  private loadHandler: (job: LoadJob) => number = () => 0;
  /** Decides, per row and per attempt of its insertId (0 first), whether insertAll refuses it. */
  rowFault: (row: StoredRow, attempt: number) => FakeError | undefined = () =>
    undefined;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeBigQueryServer> {
    const server = createServer();
    await new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', resolve),
    );
    const { port } = server.address() as AddressInfo;
    const fake = new FakeBigQueryServer(server, `http://127.0.0.1:${port}`);
    server.on('request', (request, response) => {
      void fake.handle(request, response);
    });
    return fake;
  }

  /**
   * Client options for tests: no credentials are looked up (a request is
   * sent with no Authorization header), and the client's own retries of
   * failed requests wait milliseconds instead of seconds.
   */
  clientOptions(): Omit<
    BigQueryOptions,
    'projectId' | 'location' | 'apiEndpoint'
  > {
    const anonymous = { getRequestHeaders: async () => new Headers() };
    return {
      authClient: anonymous as unknown as BigQueryOptions['authClient'],
      retryOptions: { maxRetryDelay: 0.005 },
    };
  }

  onQuery(handler: (job: QueryJob) => QueryAnswer): void {
    this.queryHandler = handler;
  }

  /** The handler returns the rows the load job loaded. */
  onLoad(handler: (job: LoadJob) => number): void {
    this.loadHandler = handler;
  }

  /** The next requests matching get these HTTP errors, one each, in order. */
  failNext(
    method: string,
    path: RegExp,
    responses: { status: number; reason: string }[],
  ): void {
    this.faults.push({ method, path, responses: [...responses] });
  }

  tableRows(table: string): StoredRow[] {
    return this.rows.get(table) ?? [];
  }

  /** The query jobs received so far, decoded. */
  queryJobs(): QueryJob[] {
    return this.requests.flatMap(({ method, path, body }) => {
      const query = (body?.['configuration'] as { query?: unknown } | undefined)
        ?.query;
      return method === 'POST' && /\/jobs$/.test(path) && query
        ? [this.queryJob(body as Record<string, unknown>)]
        : [];
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    const url = new URL(request.url ?? '/', this.url);
    const path = url.pathname.replace(/^\/bigquery\/v2/, '');
    const method = request.method ?? 'GET';
    const body = await readBody(request);
    this.requests.push({
      method,
      path,
      query: url.searchParams,
      headers: request.headers,
      body,
    });
    const send = (status: number, payload: unknown) => {
      response.writeHead(status, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(payload));
    };
    const fault = this.faults.find(
      (candidate) =>
        candidate.method === method &&
        candidate.path.test(path) &&
        candidate.responses.length > 0,
    );
    if (fault) {
      const { status, reason } =
        fault.responses.shift() as Fault['responses'][number];
      send(status, errorBody(status, { reason }));
      return;
    }
    try {
      const [status, payload] = this.route(method, path, body);
      send(status, payload);
    } catch (error) {
      send(
        500,
        errorBody(500, { reason: 'internalError', message: String(error) }),
      );
    }
  }

  private route(
    method: string,
    path: string,
    body: Record<string, unknown> | undefined,
  ): [number, unknown] {
    let match: RegExpMatchArray | null;
    if (
      method === 'POST' &&
      (match = path.match(
        /^\/projects\/[^/]+\/datasets\/([^/]+)\/tables\/([^/]+)\/insertAll$/,
      ))
    ) {
      return [200, this.insertAll(match[2], body as Record<string, unknown>)];
    }
    if (
      method === 'GET' &&
      (match = path.match(
        /^\/projects\/[^/]+\/datasets\/([^/]+)\/tables\/([^/]+)$/,
      ))
    ) {
      const table = this.tables.get(match[2]);
      return table
        ? [200, table]
        : [
            404,
            errorBody(404, {
              reason: 'notFound',
              message: `Not found: Table ${match[1]}.${match[2]}`,
            }),
          ];
    }
    if (
      method === 'POST' &&
      (match = path.match(/^\/projects\/[^/]+\/datasets\/([^/]+)\/tables$/))
    ) {
      const reference = (body as { tableReference: { tableId: string } })
        .tableReference;
      if (this.tables.has(reference.tableId)) {
        return [
          409,
          errorBody(409, {
            reason: 'duplicate',
            message: `Already Exists: Table ${reference.tableId}`,
          }),
        ];
      }
      this.tables.set(reference.tableId, body as Record<string, unknown>);
      return [200, body];
    }
    if (method === 'POST' && /^\/projects\/[^/]+\/jobs$/.test(path)) {
      return this.insertJob(body as Record<string, unknown>);
    }
    if (
      method === 'GET' &&
      (match = path.match(/^\/projects\/[^/]+\/jobs\/([^/]+)$/))
    ) {
      const job = this.jobs.get(match[1]);
      return job
        ? [200, job.resource]
        : [
            404,
            errorBody(404, {
              reason: 'notFound',
              message: `Not found: Job ${match[1]}`,
            }),
          ];
    }
    if (
      method === 'GET' &&
      (match = path.match(/^\/projects\/[^/]+\/queries\/([^/]+)$/))
    ) {
      return this.queryResults(match[1]);
    }
    return [
      404,
      errorBody(404, {
        reason: 'notFound',
        message: `No route ${method} ${path}`,
      }),
    ];
  }

  private insertAll(table: string, body: Record<string, unknown>) {
    const rows = body['rows'] as StoredRow[];
    const stored = this.rows.get(table) ?? [];
    this.rows.set(table, stored);
    const known = new Set(stored.map((row) => row.insertId));
    const insertErrors: { index: number; errors: FakeError[] }[] = [];
    rows.forEach((row, index) => {
      const attempt = this.attempts.get(row.insertId) ?? 0;
      this.attempts.set(row.insertId, attempt + 1);
      const error = this.rowFault(row, attempt);
      if (error) {
        insertErrors.push({
          index,
          errors: [{ message: error.reason, ...error }],
        });
      } else if (!known.has(row.insertId)) {
        // BigQuery's best-effort de-duplication, here always effective.
        known.add(row.insertId);
        stored.push(row);
      }
    });
    return {
      kind: 'bigquery#tableDataInsertAllResponse',
      ...(insertErrors.length > 0 ? { insertErrors } : {}),
    };
  }

  private queryJob(body: Record<string, unknown>): QueryJob {
    const reference = body['jobReference'] as { jobId: string };
    const configuration = body['configuration'] as {
      query: { query: string; queryParameters?: Params };
      labels?: Record<string, string>;
    };
    return {
      jobId: reference.jobId,
      sql: configuration.query.query,
      params: Object.fromEntries(
        (configuration.query.queryParameters ?? []).map(
          ({ name, parameterType, parameterValue }) => [
            name,
            decodeParam(parameterType, parameterValue),
          ],
        ),
      ),
      labels: configuration.labels ?? {},
    };
  }

  private insertJob(body: Record<string, unknown>): [number, unknown] {
    const reference = body['jobReference'] as {
      jobId: string;
      projectId: string;
    };
    if (this.jobs.has(reference.jobId)) {
      return [
        409,
        errorBody(409, {
          reason: 'duplicate',
          message: `Already Exists: Job ${reference.projectId}:${reference.jobId}`,
        }),
      ];
    }
    const configuration = body['configuration'] as Record<string, unknown>;
    const job: StoredJob = {
      resource: {
        kind: 'bigquery#job',
        id: `${reference.projectId}:${reference.jobId}`,
        jobReference: reference,
        configuration,
        status: { state: 'DONE' },
      },
    };
    try {
      if (configuration['load']) {
        const outputRows = this.loadHandler({
          jobId: reference.jobId,
          load: configuration['load'] as Record<string, unknown>,
        });
        job.resource['statistics'] = {
          load: { outputRows: String(outputRows) },
        };
      } else {
        job.answer = this.queryHandler(this.queryJob(body));
      }
    } catch (error) {
      const failure = (error as { reason?: string }).reason
        ? (error as FakeError)
        : { reason: 'invalidQuery', message: String(error) };
      job.error = failure;
      job.resource['status'] = {
        state: 'DONE',
        errorResult: failure,
        errors: [failure],
      };
    }
    this.jobs.set(reference.jobId, job);
    return [200, job.resource];
  }

  private queryResults(jobId: string): [number, unknown] {
    const job = this.jobs.get(jobId);
    if (!job) {
      return [
        404,
        errorBody(404, {
          reason: 'notFound',
          message: `Not found: Job ${jobId}`,
        }),
      ];
    }
    if (job.error) return [400, errorBody(400, job.error)];
    const answer = job.answer as QueryAnswer;
    return [
      200,
      {
        kind: 'bigquery#getQueryResultsResponse',
        jobReference: job.resource['jobReference'],
        jobComplete: true,
        schema: { fields: answer.schema },
        rows: answer.rows.map((row) => encodeRow(answer.schema, row)),
        totalRows: String(answer.rows.length),
      },
    ];
  }
}
