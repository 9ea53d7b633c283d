// express-pouchdb ships no types: just what bench/support/pouch-server.ts uses.
declare module 'express-pouchdb' {
  import type { Express } from 'express';
  import type PouchDB from 'pouchdb';

  interface ExpressPouchDBOptions {
    /** Which routes to mount; minimumForPouchDB is what PouchDB replication needs. */
    mode?: 'fullCouchDB' | 'minimumForPouchDB' | 'custom';
    configPath?: string;
    logPath?: string;
    inMemoryConfig?: boolean;
  }

  /** A PouchDB class, e.g. PouchDB.defaults({ prefix }) for where its databases live. */
  function expressPouchDB(pouchDB: PouchDB.Static, options?: ExpressPouchDBOptions): Express;
  export = expressPouchDB;
}
