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
  /**
   * Inside a transaction on PostgreSQL: several statements that do not depend on each other's
   * results, sent in one message and answered in one round trip; each one's rows, in order. Where
   * not offered (see `together`), they run one after another.
   */
  together?(statements: readonly Statement[]): Promise<object[][]>;
}

/** A statement with its $1-style parameters. */
export interface Statement {
  sql: string;
  params?: readonly SqlParam[];
}

/** Runs statements with `together` where the engine offers it, else one after another: each one's rows, in order. */
export async function together(db: Queryable, statements: readonly Statement[]): Promise<object[][]> {
  return db.together ? db.together(statements) : oneAfterAnother(db, statements);
}

/** Each statement's rows, run one at a time. */
async function oneAfterAnother(db: Queryable, statements: readonly Statement[]): Promise<object[][]> {
  const rows: object[][] = [];
  for (const { sql, params } of statements) rows.push(await db.query(sql, params));
  return rows;
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

/** node-postgres's own conversion of a parameter to the text it sends (its types leave `utils` out). */
const { prepareValue } = (pg as unknown as { utils: { prepareValue: (value: unknown) => string | Buffer | null } }).utils;

/**
 * A statement with its parameters written in as literals, for the simple query protocol (the one
 * that takes several statements in one message): each as the text node-postgres would have sent
 * for it (arrays, dates and numbers alike), escaped as it escapes literals. Null if a parameter
 * cannot be written as text (bytes).
 */
function inlined(sql: string, params: readonly SqlParam[]): string | null {
  const texts = params.map((value) => prepareValue(value));
  if (texts.some((text) => Buffer.isBuffer(text))) return null;
  return sql.replace(/\$(\d+)/g, (_, n: string) => {
    const text = texts[Number(n) - 1];
    if (text === undefined) throw new Error(`no parameter $${n}`);
    return text === null ? 'NULL' : escapeLiteral(String(text));
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

/**
 * Connections for transactions come from a pool of their own, beside the one for single
 * statements: a burst of requests each looking up its session filled the shared pool, and a
 * push's transaction waited behind all of them for a connection (bench:ingest: 50 tablets at once,
 * the first transactions queued 100 ms before their BEGIN), while the lookups it let through only
 * added pushes to the queue it was holding up.
 */
const transactionPoolSize = (max: number) => Math.max(1, Math.ceil(max / 2));

/**
 * PostgreSQL through connection pools; checks the connection before returning. `max` is the pool
 * for single statements; transactions have one of half that (at least one) beside it.
 */
export async function openPostgres(url: string, options: { max?: number } = {}): Promise<Db> {
  const max = options.max ?? 10;
  const newPool = (size: number) => {
    const made = new pg.Pool({ connectionString: url, max: size, idleTimeoutMillis: POOL_IDLE_MS, keepAlive: true });
    // A pool emits 'error' when an idle connection dies (e.g. the server restarts); without a
    // listener Node would crash the process. The next query reconnects.
    made.on('error', () => undefined);
    return made;
  };
  const pool = newPool(max);
  const transactions = newPool(transactionPoolSize(max));
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
    await Promise.all([pool.end(), transactions.end()]);
    throw error;
  }
  return {
    engine: 'postgres',
    ...wrap(pool),
    async transaction(fn) {
      const client = await transactions.connect();
      // BEGIN goes in the message of the transaction's first statement rather than a round trip
      // of its own: under load each round trip waits its turn on this busy thread as well as the
      // database's, and a push's transaction is a handful of them (bench:ingest).
      const state = { begun: false };
      try {
        const pending: { last: string | null } = { last: null };
        /** Statements in one message of the simple query protocol, after BEGIN if not yet sent: each one's rows. */
        const send = async (statements: readonly string[]): Promise<object[][]> => {
          const message = state.begun ? statements : ['BEGIN', ...statements];
          state.begun = true;
          try {
            // Several statements in one message answer with a result each.
            // A newline before each semicolon: a statement ending in a -- comment must not swallow it.
            const answer = (await client.query(message.join('\n;\n'))) as pg.QueryResult<object> | pg.QueryResult<object>[];
            const results = Array.isArray(answer) ? answer : [answer];
            return results.slice(message.length - statements.length).map((result) => result.rows);
          } catch (error) {
            throw queryError(error);
          }
        };
        const flush = async () => {
          const sql = pending.last;
          pending.last = null;
          if (sql !== null) await send([sql]);
        };
        const plain = wrap(client);
        const tx: Queryable = {
          query: async <Row extends object>(sql: string, params: readonly SqlParam[] = []) => {
            await flush();
            if (!state.begun) {
              const literal = inlined(sql, params);
              if (literal !== null) return ((await send([literal]))[0] ?? []) as Row[];
              await send([]);
            }
            return plain.query<Row>(sql, params);
          },
          exec: async (sql) => {
            await flush();
            if (state.begun) await plain.exec(sql);
            else await send([sql]);
          },
          lastly: async (sql, params) => {
            await flush();
            const literal = inlined(sql, params);
            if (literal === null) throw new Error('lastly takes text parameters only');
            pending.last = literal;
          },
          together: async (statements) => {
            await flush();
            const literals = statements.map(({ sql, params = [] }) => inlined(sql, params));
            if (literals.every((literal): literal is string => literal !== null)) return send(literals);
            return oneAfterAnother(tx, statements);
          },
        };
        const result = await fn(tx);
        // One message: the server runs the last statement and commits without waiting for us. A
        // transaction that sent nothing has nothing to commit.
        if (state.begun || pending.last !== null) await send([...(pending.last === null ? [] : [pending.last]), 'COMMIT']);
        return result;
      } catch (error) {
        if (state.begun) await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: async () => {
      await Promise.all([pool.end(), transactions.end()]);
    },
  };
}
