// PGlite runs on the server's own thread: between its statements the server must get a turn to
// read its sockets, or one request's statements run back to back while every other connection waits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, type Db } from '../../server/src/db/client.ts';

describe('the embedded database and the event loop', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openPglite();
  });
  afterAll(async () => {
    await db.close();
  });

  it('lets the poll phase run (sockets read, connections accepted) before each statement, in and out of transactions', async () => {
    const turns: string[] = [];
    const statement = async (run: () => Promise<unknown>, label: string) => {
      // An object: set from the callback, which the compiler's narrowing does not follow.
      const poll = { served: false };
      setImmediate(() => {
        poll.served = true;
      });
      await run();
      turns.push(`${label}: ${poll.served ? 'served' : 'waited'}`);
    };
    await statement(() => db.query('SELECT 1'), 'query');
    await statement(() => db.exec('SELECT 1'), 'exec');
    await db.transaction(async (tx) => {
      await statement(() => tx.query('SELECT 1'), 'first in a transaction');
      await statement(() => tx.query('SELECT 2'), 'second in a transaction');
    });
    expect(turns).toEqual(['query: served', 'exec: served', 'first in a transaction: served', 'second in a transaction: served']);
  });
});
