// What the sync benchmark uses of PouchDB 9. Not @types/pouchdb: it declares a global `Buffer`
// interface that merges with Node's and breaks Buffer's types across the whole project.
declare module 'pouchdb' {
  interface Attachment {
    content_type: string;
    data?: Buffer;
    /** Set on attachments listed without their bytes, with `length`. */
    stub?: boolean;
    length?: number;
  }

  type Stored<T> = T & { _id: string; _attachments?: Record<string, Attachment> };

  class PouchDB<T extends object = object> {
    constructor(name: string, options?: { adapter?: string; fetch?: typeof fetch });
    static plugin(plugin: unknown): void;
    static replicate<T extends object>(
      source: PouchDB<T>,
      target: PouchDB<T>,
      options?: { batch_size?: number; batches_limit?: number },
    ): Promise<{ status: string; docs_written: number }>;
    static fetch: typeof fetch;
    /** A PouchDB class whose databases live under `prefix`. */
    static defaults(options: { prefix?: string }): typeof PouchDB;
    bulkDocs(docs: Stored<T>[]): Promise<({ ok: true; id: string } | { error: string; reason?: string })[]>;
    info(): Promise<unknown>;
    destroy(): Promise<unknown>;
    allDocs(options: { include_docs: boolean }): Promise<{ rows: { id: string; doc?: Stored<T> }[] }>;
    getAttachment(docId: string, name: string): Promise<Buffer | Blob>;
  }

  namespace PouchDB {
    type Database<T extends object = object> = PouchDB<T>;
    type Static = typeof PouchDB;
  }

  export default PouchDB;
}

declare module 'pouchdb-adapter-memory' {
  const plugin: unknown;
  export default plugin;
}
