import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import pg from 'pg';

export type Engine = 'pglite' | 'postgres';
export type SqlParam = string | number | boolean | null | Date | Uint8Array | readonly string[];

/** What routes and services need of a database, whichever engine is underneath. */
export interface Queryable {
  /** One statement with $1-style parameters. */
  query<Row extends object>(sql: string, params?: readonly SqlParam[]): Promise<Row[]>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Inside a transaction: one statement whose result is not needed, run before whatever the
   * transaction does next; on PostgreSQL, if that is COMMIT, both go to the server in one message,
   * so locks the statement takes are held for it and the commit, not for a round trip through
   * this process as well (the push's last statement takes the establishment's counter row).
   * Outside a transaction (and where not offered) the caller runs it as a query.
   */
  lastly?(sql: string, params: readonly (string | null)[]): Promise<void>;
}

export interface Db extends Queryable {
  readonly engine: Engine;
  /** Runs fn in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /**
   * The embedded engine only: its data folder as a gzipped tar, taken with no transaction
   * running, so it opens (with loadDataDir) to exactly the transactions committed before it.
   */
  dump?(): Promise<Blob>;
}

/**
 * A query's error, fit to travel: without the parameter values PGlite attaches to it (`params`,
 * `queryOptions`), which a logger would otherwise print (evidence text, answers), and with the
 * frames of the code that ran the query, which the engines' own stacks (made where the reply is
 * parsed) lack. See safe-logging.ts for what a log line may take from it.
 */
function queryError(error: unknown): unknown {
  if (error instanceof Error) {
    const fields = error as Error & { params?: unknown; queryOptions?: unknown };
    delete fields.params;
    delete fields.queryOptions;
    // Made here, after the await, this stack holds the awaiting callers (V8's async stack traces).
    const caller = (new Error().stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)).slice(1);
    if (caller.length > 0) error.stack = `${error.stack ?? `${error.name}: ${error.message}`}\n    --- query run from:\n${caller.join('\n')}`;
  }
  return error;
}

/**
 * Lets the server read its sockets before PGlite's next statement. PGlite runs each statement on
 * this thread and answers through promises alone, so without this a request's statements run back
 * to back with no turn of the event loop: a connection opened meanwhile is not even accepted until
 * every request already read has finished, and is then read a turn later still. With 50 tablets
 * pushing at once the unlucky waited several such rounds (bench:ingest push p99 2.8 s; with this,
 * 0.8 s at the same throughput). setImmediate runs after the poll phase, where sockets are served.
 */
const turnOfTheEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The embedded engine. PGlite runs one connection in this process, so it must never be opened by
 * two server processes on the same folder; PostgreSQL is the choice for more than one.
 * Without `dataDir` everything stays in memory (tests); `loadDataDir` starts from a dump.
 */
export async function openPglite(options: Pick<PGliteOptions, 'dataDir' | 'loadDataDir'> = {}): Promise<Db> {
  const pglite = await PGlite.create(options);
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<Row extends object>(sql: string, params: readonly SqlParam[] = []) {
      try {
        await turnOfTheEventLoop();
        const result = await q.query<Row>(sql, [...params]);
        return result.rows;
      } catch (error) {
        throw queryError(error);
      }
    },
    async exec(sql: string) {
      try {
        await turnOfTheEventLoop();
        await q.exec(sql);
      } catch (error) {
        throw queryError(error);
      }
    },
  });
  return {
    engine: 'pglite',
    ...wrap(pglite),
    transaction: (fn) => pglite.transaction((tx) => fn(wrap(tx))),
    close: () => pglite.close(),
    // Inside a transaction of its own: PGlite runs one at a time, so none is half done in the copy
    // (dumpDataDir alone only waits for the statement running, not for its transaction to end).
    dump: () => pglite.transaction(() => pglite.dumpDataDir('gzip')),
  };
}

/**
 * Statements run on (nearly) every request, which PostgreSQL should parse and plan once per
 * connection rather than each time: a push's ownership query took longer to plan than to run.
 * Only fixed texts are registered (so the number a connection keeps is bounded); PGlite, in this
 * process, runs them as any other.
 */
const PREPARED = new Map<string, string>();

/** Registers a fixed statement as prepared (see PREPARED); returns it unchanged. */
export function prepared(sql: string): string {
  if (!PREPARED.has(sql)) PREPARED.set(sql, `wingcheck_${PREPARED.size + 1}`);
  return sql;
}

/** PostgreSQL through a connection pool; checks the connection before returning. */
/**
 * A statement with its parameters written in as literals, for the simple query protocol (the one
 * that takes several statements in one message). Strings only, escaped by node-postgres.
 */
function inlined(sql: string, params: readonly (string | null)[]): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => {
    const value = params[Number(n) - 1];
    if (value === undefined) throw new Error(`no parameter $${n}`);
    return value === null ? 'NULL' : escapeLiteral(value);
  });
}

/**
 * A string as an SQL literal, exactly as node-postgres's `escapeLiteral` writes it (quotes and
 * backslashes doubled, ` E` before a literal holding a backslash), but with the engine's own
 * string search: that one walks the string a character at a time, and a group commit's last
 * statement carries its audit and change-log rows, hundreds of kilobytes, on the server's only thread.
 */
export function escapeLiteral(value: string): string {
  const quoted = `'${value.replaceAll("'", "''").replaceAll('\\', '\\\\')}'`;
  return value.includes('\\') ? ` E${quoted}` : quoted;
}

/**
 * How long a pooled connection may sit idle before it is closed. Tablets sync in bursts minutes
 * apart: pg-pool's default, 10 s, closed the connections between them, so each burst paid for new
 * backends, cold caches and every prepared statement planned again. TCP keep-alive finds a
 * connection a firewall dropped meanwhile.
 */
export const POOL_IDLE_MS = 5 * 60_000;

export async function openPostgres(url: string, options: { max?: number } = {}): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, idleTimeoutMillis: POOL_IDLE_MS, keepAlive: true });
  // A pool emits 'error' when an idle connection dies (e.g. the server restarts); without a
  // listener Node would crash the process. The next query reconnects.
  pool.on('error', () => undefined);
  const wrap = (q: pg.Pool | pg.PoolClient): Queryable => ({
    async query<Row extends object>(sql: string, params: readonly SqlParam[] = []) {
      try {
        const name = PREPARED.get(sql);
        const values = [...params];
        const result = await q.query<Row>(name === undefined ? { text: sql, values } : { name, text: sql, values });
        return result.rows;
      } catch (error) {
        throw queryError(error);
      }
    },
    async exec(sql: string) {
      try {
        await q.query(sql);
      } catch (error) {
        throw queryError(error);
      }
    },
  });
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end();
    throw error;
  }
  return {
    engine: 'postgres',
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const pending: { last: string | null } = { last: null };
        const flush = async () => {
          const sql = pending.last;
          pending.last = null;
          if (sql !== null) await client.query(sql);
        };
        const plain = wrap(client);
        const tx: Queryable = {
          query: async (sql, params) => {
            await flush();
            return plain.query(sql, params);
          },
          exec: async (sql) => {
            await flush();
            await plain.exec(sql);
          },
          lastly: async (sql, params) => {
            await flush();
            pending.last = inlined(sql, params);
          },
        };
        const result = await fn(tx);
        try {
          // One message: the server runs the last statement and commits without waiting for us.
          await client.query(pending.last === null ? 'COMMIT' : `${pending.last};\nCOMMIT`);
        } catch (error) {
          throw queryError(error);
        }
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
