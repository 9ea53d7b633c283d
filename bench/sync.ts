/**
 * Sync throughput: 1,000 checks with 1,000 photos (~300 KB of incompressible bytes each) from one device to a local
 * server, five ways, in one run on one machine, with the same photo bytes (made once) and the same check JSON:
 * 1. Wingcheck's engine over its HTTP transport to a real Wingcheck server (Fastify on PGlite, photos to disk),
 *    protocol 2: it asks which photos the server lacks, sends them in batches of about 12 MB (three in flight), and
 *    pushes of up to 100 mutations, the photos one stream across pushes (src/sync/photo-pipeline.ts), each push
 *    waiting only for its own; then it pulls, as the app
 *    does, which brings its own 1,000 checks back (the other ways pull nothing). The device had pulled before going on
 *    the wing (it needs the reference data to make checks), so it starts from the server's current cursor.
 * 2. PouchDB 9 one-shot replication, default batching (batch_size 100, batches_limit 10), from an in-memory client
 *    database (standing in for the browser's IndexedDB, as Wingcheck's bench client store is in memory) holding each
 *    check as a document with its photo as an attachment, to express-pouchdb on express backed by LevelDB on disk.
 *    Only the replication is timed; writing the local documents is setup.
 * 3. One request per item with no batching (the Workbox background-sync replay pattern: each queued request
 *    replayed on its own) to a Wingcheck server.
 * 4. The loopback limit: the same bytes (every photo and every check's JSON) in one streamed HTTP request to a
 *    node:http server that counts and discards them.
 * 5. Wingcheck as in 1, to a server keeping photos in S3-compatible object storage (WINGCHECK_S3_*): s3rver, the
 *    tests' S3 server, in its own process and folder on loopback: a measure of Wingcheck's object-store path, not of
 *    a production object store.
 * Every server is fresh, in its own process and data folder. Requests and bytes are request bodies the client sent.
 * Every client sends through node:http: PouchDB's through node-fetch 2 (its own), the limit's directly, and
 * Wingcheck's engine and the unbatched replay through bench/support/node-http-fetch.ts, not Node's fetch (undici),
 * whose CPU for the photo bytes would otherwise be taken from the server on this benchmark's two cores.
 * Run: npm run bench:sync
 */
import { createHash, randomFillSync } from 'node:crypto';
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import PouchDB from 'pouchdb';
import memoryAdapter from 'pouchdb-adapter-memory';
import { SessionInfo } from '../src/shared/auth.ts';
import type { Change, PushRequest } from '../src/shared/api/sync.ts';
import { PROTOCOL_VERSION, type SubmitCheckPayload } from '../src/shared/mutations.ts';
import { newId } from '../src/shared/ids.ts';
import type { OutboxItem } from '../src/sync/engine.ts';
import { httpTransport } from '../src/sync/http-transport.ts';
import { runSync, UPLOADS_IN_FLIGHT, type SyncStore } from '../src/sync/run.ts';
import { BATCH_SIZE, PHOTO_BATCH_BYTES } from '../src/sync/engine.ts';
import { startPouchServer } from './support/pouch-server.ts';
import { report, speedRatio } from './support/report.ts';
import { BENCH_PASSWORD, startBenchServer } from './support/server.ts';
import { startSinkServer } from './support/sink-server.ts';
import { nodeHttpFetch } from './support/node-http-fetch.ts';
import { S3_TEST_CREDENTIALS, startS3Server } from '../tests/support/s3-server.ts';

PouchDB.plugin(memoryAdapter);

const CHECKS = Number(process.env.BENCH_CHECKS ?? 1000);
const PHOTO_BYTES = 300 * 1024;
/** PouchDB's replication defaults (pouchdb 9, replicate()): named here so the report states them. */
const POUCH_BATCH_SIZE = 100;
const POUCH_BATCHES_LIMIT = 10;

interface Photo {
  sha: string;
  bytes: ArrayBuffer;
}

/**
 * Incompressible bytes behind a JPEG's start and frame header saying 2048 × 1536 (the server checks the type by the
 * first bytes and holds a check's photo reference to the size the header gives), made once for all.
 */
const JPEG_HEAD = [0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x06, 0x00, 0x08, 0x00];
function makePhotos(): Photo[] {
  return Array.from({ length: CHECKS }, () => {
    const bytes = new Uint8Array(PHOTO_BYTES);
    bytes.set(JPEG_HEAD);
    randomFillSync(bytes, JPEG_HEAD.length);
    return { sha: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.buffer };
  });
}

/** A signed-in HTTP client that counts what it sends. */
async function client(base: string) {
  const res = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'so.demo', password: BENCH_PASSWORD }),
  });
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const info = SessionInfo.parse(await res.json());
  const counters = { requests: 0, bytes: 0 };
  const counted: typeof fetch = async (input, init) => {
    counters.requests += 1;
    const body = init?.body;
    counters.bytes += typeof body === 'string' ? Buffer.byteLength(body) : body instanceof Blob ? body.size : 0;
    const url = typeof input === 'string' || input instanceof URL ? new URL(input, base) : new URL(input.url);
    return nodeHttpFetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), cookie } });
  };
  return { info, counters, fetch: counted };
}

interface Refs {
  templateVersionId: string;
  unitId: string;
}

async function references(base: string, fetchAs: typeof fetch): Promise<Refs> {
  const templates = (await (await fetchAs('/api/templates')).json()) as { id: string; definition: { key: string } }[];
  const units = (await (await fetchAs('/api/units')).json()) as { id: string }[];
  const version = templates.find((t) => t.definition.key === 'weekly-unit-cleaning');
  if (!version || !units[0]) throw new Error(`no template or unit on ${base}`);
  return { templateVersionId: version.id, unitId: units[0].id };
}

interface Item {
  mutation: OutboxItem;
  payload: SubmitCheckPayload;
  photo: Photo;
}

function makeItems(refs: Refs, clientId: string, photos: readonly Photo[]): Item[] {
  return photos.map((photo, i) => {
    const payload: SubmitCheckPayload = {
      checkId: newId(),
      ...refs,
      scheduleId: null,
      dueOn: null,
      landing: null,
      actionIds: [],
      answers: ['walls-windows', 'servery-deep-clean', 'bins-drains', 'cleaning-materials'].map((itemId) => ({ itemId, value: 'pass' as const })),
      photos: [{ sha256: photo.sha, mime: 'image/jpeg', size: photo.bytes.byteLength, width: 2048, height: 1536, itemId: null }],
      startedAt: new Date().toISOString(),
      submittedAt: new Date().toISOString(),
      supersedes: null,
    };
    const mutation: OutboxItem = {
      seq: i + 1,
      id: newId(),
      clientId,
      type: 'check.submit',
      payload,
      createdAt: payload.submittedAt,
      protocol: PROTOCOL_VERSION,
      photos: [photo.sha],
      entityId: payload.checkId,
      needs: [],
      attempts: 0,
    };
    return { mutation, payload, photo };
  });
}

/** Check payloads for the alternatives with no Wingcheck server: ids of the same shape, so the JSON is the same size. */
const placeholderRefs = (): Refs => ({ templateVersionId: newId(), unitId: newId() });

/** `cursor`: where the device's last pull ended. */
function memoryStore(items: Item[], clientId: string, cursor: string): SyncStore {
  const outbox = items.map((i) => i.mutation);
  const photos = new Map(items.map((i) => [i.photo.sha, i.photo.bytes]));
  const uploaded = new Set<string>();
  return {
    clientId: () => Promise.resolve(clientId),
    waiting: (limit) => Promise.resolve(outbox.slice(0, limit)),
    heldEntities: () => Promise.resolve(new Set<string>()),
    photo: (sha) => Promise.resolve(photos.has(sha) ? { bytes: photos.get(sha) ?? new ArrayBuffer(0), mime: 'image/jpeg' } : null),
    uploaded: () => Promise.resolve(new Set(uploaded)),
    markUploaded: (shas) => {
      for (const sha of shas) uploaded.add(sha);
      return Promise.resolve();
    },
    forgetUploaded: (shas) => {
      for (const sha of shas) uploaded.delete(sha);
      return Promise.resolve();
    },
    // The bench's changes are all good: one that fails means the bench is wrong.
    recordFailures: (attempts, setAside) => {
      if (attempts.length + setAside.length > 0) throw new Error(`${attempts.length + setAside.length} changes failed`);
      return Promise.resolve();
    },
    settle: (done, rejected) => {
      if (rejected.length) throw new Error(`rejected: ${rejected[0]?.reason ?? ''}`);
      const gone = new Set(done);
      outbox.splice(0, outbox.length, ...outbox.filter((m) => !gone.has(m.id)));
      return Promise.resolve();
    },
    pullCursor: () => Promise.resolve(cursor),
    applyChanges: (_changes: readonly Change[], next: string) => {
      cursor = next;
      return Promise.resolve();
    },
  };
}

/** The checks the server holds, and the cursor a device that pulled them all would be at. */
async function countChecks(fetchAs: typeof fetch): Promise<{ checks: number; cursor: string }> {
  let cursor = '0';
  let checks = 0;
  for (;;) {
    const page = (await (await fetchAs(`/api/sync/pull?cursor=${cursor}`)).json()) as { changes: Change[]; cursor: string; hasMore: boolean };
    checks += page.changes.filter((c) => c.entity === 'check').length;
    cursor = page.cursor;
    if (!page.hasMore) return { checks, cursor };
  }
}

interface Figure {
  ms: number;
  requests: number;
  bytes: number;
}

/** `env` configures the server: none for the folder store, WINGCHECK_S3_* for object storage. */
async function wingcheckSync(photos: readonly Photo[], env: Record<string, string> = {}): Promise<Figure> {
  const server = await startBenchServer(env);
  try {
    const c = await client(server.url);
    const clientId = `bench-${newId()}`;
    // The server's demo history has checks of its own. The device pulled them before going on the
    // wing (it needs the reference data to make checks): its sync starts from where that pull ended.
    const demo = await countChecks(c.fetch);
    const store = memoryStore(makeItems(await references(server.url, c.fetch), clientId, photos), clientId, demo.cursor);
    const transport = httpTransport({
      csrfToken: () => Promise.resolve(c.info.csrfToken),
      deviceId: () => Promise.resolve(clientId),
      fetch: c.fetch,
    });
    const before = { ...c.counters };
    const started = performance.now();
    const outcome = await runSync(store, transport);
    const ms = performance.now() - started;
    if (outcome.kind !== 'done' || outcome.sent !== CHECKS) throw new Error(`sync ended ${JSON.stringify(outcome)}`);
    const figure = { ms, requests: c.counters.requests - before.requests, bytes: c.counters.bytes - before.bytes };
    const arrived = (await countChecks(c.fetch)).checks - demo.checks;
    if (arrived !== CHECKS) throw new Error(`${arrived} of ${CHECKS} checks arrived`);
    return figure;
  } finally {
    server.stop();
  }
}

type CheckDoc = SubmitCheckPayload;
const ATTACHMENT = 'photo.jpg';

async function pouchReplication(photos: readonly Photo[]): Promise<Figure> {
  const server = await startPouchServer();
  const local = new PouchDB<CheckDoc>(`bench-${newId()}`, { adapter: 'memory' });
  try {
    // Setup, not timed: the device's database already holds the checks, as Wingcheck's outbox does.
    const items = makeItems(placeholderRefs(), `bench-${newId()}`, photos);
    for (let i = 0; i < items.length; i += 100) {
      const docs = items.slice(i, i + 100).map(({ payload, photo }) => ({
        _id: payload.checkId,
        ...payload,
        _attachments: { [ATTACHMENT]: { content_type: 'image/jpeg', data: Buffer.from(photo.bytes) } },
      }));
      const results = await local.bulkDocs(docs);
      if (results.some((r) => 'error' in r && r.error)) throw new Error('local bulkDocs failed');
    }
    const counters = { requests: 0, bytes: 0 };
    const counted: typeof PouchDB.fetch = (url, init) => {
      counters.requests += 1;
      const body = init?.body;
      if (typeof body === 'string') counters.bytes += Buffer.byteLength(body);
      else if (body instanceof Uint8Array) counters.bytes += body.byteLength;
      else if (body !== undefined && body !== null) throw new Error('PouchDB sent a body this bench cannot count');
      return PouchDB.fetch(url, init);
    };
    const remote = new PouchDB<CheckDoc>(`${server.url}/checks`, { fetch: counted });
    await remote.info(); // creates the remote database: setup, like signing in
    const before = { ...counters };
    const started = performance.now();
    const result = await PouchDB.replicate(local, remote, { batch_size: POUCH_BATCH_SIZE, batches_limit: POUCH_BATCHES_LIMIT });
    const ms = performance.now() - started;
    const figure = { ms, requests: counters.requests - before.requests, bytes: counters.bytes - before.bytes };
    if (result.status !== 'complete' || result.docs_written !== CHECKS) throw new Error(`replication ended ${result.status}, ${result.docs_written} written`);
    await verifyPouch(remote, items);
    return figure;
  } finally {
    await local.destroy();
    server.stop();
  }
}

/** The server holds every check with its photo's full length, and sampled photos come back byte for byte. */
async function verifyPouch(remote: PouchDB.Database<CheckDoc>, items: readonly Item[]): Promise<void> {
  const all = await remote.allDocs({ include_docs: true });
  const stored = all.rows.filter((row) => {
    const photo = row.doc?._attachments?.[ATTACHMENT];
    return photo !== undefined && 'stub' in photo && photo.length === PHOTO_BYTES;
  });
  if (all.rows.length !== CHECKS || stored.length !== CHECKS) throw new Error(`PouchDB server holds ${all.rows.length} docs, ${stored.length} with photos`);
  for (const item of [items[0], items.at(-1)]) {
    if (!item) continue;
    const bytes = await remote.getAttachment(item.payload.checkId, ATTACHMENT);
    if (!(bytes instanceof Buffer) || !bytes.equals(new Uint8Array(item.photo.bytes))) throw new Error('a photo came back different');
  }
}

async function unbatched(photos: readonly Photo[]): Promise<Figure> {
  const server = await startBenchServer();
  try {
    const c = await client(server.url);
    const clientId = `bench-${newId()}`;
    const items = makeItems(await references(server.url, c.fetch), clientId, photos);
    const headers = { 'x-csrf-token': c.info.csrfToken, 'x-wingcheck-device': clientId };
    const demoChecks = (await countChecks(c.fetch)).checks;
    const before = { ...c.counters };
    const started = performance.now();
    for (const item of items) {
      const put = await c.fetch(`/api/blobs/${item.photo.sha}`, {
        method: 'PUT',
        headers: { ...headers, 'content-type': 'image/jpeg' },
        body: new Blob([item.photo.bytes], { type: 'image/jpeg' }),
      });
      if (!put.ok) throw new Error(`upload ${put.status}`);
      const { id, seq, type, payload, createdAt } = item.mutation;
      const mutations = [{ id, clientId, seq, type, payload, createdAt }];
      const body: PushRequest = { clientId, protocol: PROTOCOL_VERSION, mutations };
      const json = { ...headers, 'content-type': 'application/json' };
      const push = await c.fetch('/api/sync/push', { method: 'POST', headers: json, body: JSON.stringify(body) });
      if (!push.ok) throw new Error(`push ${push.status}`);
    }
    const ms = performance.now() - started;
    const figure = { ms, requests: c.counters.requests - before.requests, bytes: c.counters.bytes - before.bytes };
    if ((await countChecks(c.fetch)).checks - demoChecks !== CHECKS) throw new Error('not every check arrived');
    return figure;
  } finally {
    server.stop();
  }
}

/** Every photo and every check's JSON, streamed in one request to a server that only counts them. */
async function loopbackLimit(photos: readonly Photo[]): Promise<Figure> {
  const server = await startSinkServer();
  try {
    const parts = makeItems(placeholderRefs(), `bench-${newId()}`, photos)
      .flatMap(({ payload, photo }) => [new Uint8Array(photo.bytes), Buffer.from(JSON.stringify(payload))]);
    const total = parts.reduce((n, part) => n + part.byteLength, 0);
    const started = performance.now();
    const received = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${server.url}/`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'content-length': total } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          resolve((JSON.parse(text) as { bytes: number }).bytes);
        });
      });
      req.on('error', reject);
      void (async () => {
        // Respect backpressure, as a real upload must: the kernel's buffers, not the heap, hold what is in flight.
        for (const part of parts) if (!req.write(part)) await once(req, 'drain');
        req.end();
      })().catch(reject);
    });
    const ms = performance.now() - started;
    if (received !== total) throw new Error(`the sink received ${received} of ${total} bytes`);
    return { ms, requests: 1, bytes: total };
  } finally {
    server.stop();
  }
}

/** The same sync to a server keeping photos in object storage: s3rver on loopback, its own process and folder. */
async function toObjectStorage(photos: readonly Photo[]): Promise<Figure> {
  const s3 = await startS3Server();
  try {
    return await wingcheckSync(photos, {
      WINGCHECK_S3_ENDPOINT: s3.endpoint,
      WINGCHECK_S3_BUCKET: 'bench-photos',
      AWS_ACCESS_KEY_ID: S3_TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3_TEST_CREDENTIALS.secretAccessKey,
    });
  } finally {
    await s3.stop();
  }
}

const photos = makePhotos();
const ours = await wingcheckSync(photos);
const objectStorage = await toObjectStorage(photos);
const pouch = await pouchReplication(photos);
const naive = await unbatched(photos);
const limit = await loopbackLimit(photos);

const count = (n: number) => n.toLocaleString('en-US');
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const line = (f: Figure) => `${(f.ms / 1000).toFixed(1)} s, ${count(f.requests)} request${f.requests === 1 ? '' : 's'}, ${mb(f.bytes)} sent`;
const times = (f: Figure) => `${(f.ms / limit.ms).toFixed(1)}×`;
const what = `sync: ${count(CHECKS)} checks + ${count(CHECKS)} photos of 300 KB`;
const wingcheck = `Wingcheck (photos in batches of ${mb(PHOTO_BATCH_BYTES)}, ${UPLOADS_IN_FLIGHT} in flight, pushes of ${BATCH_SIZE}): ${line(ours)}`;
report({
  rows: [
    {
      benchmark: `${what}, vs PouchDB replication with attachments`,
      figure: wingcheck,
      comparison: `PouchDB 9 replicate() from a memory db to express-pouchdb on LevelDB (batch_size ${POUCH_BATCH_SIZE}, batches_limit ${POUCH_BATCHES_LIMIT}): ${line(pouch)}`,
      ratio: speedRatio(ours.ms, pouch.ms),
    },
    {
      benchmark: `${what}, vs one request per item, unbatched`,
      figure: wingcheck,
      comparison: `one upload + one push per check, in turn: ${line(naive)}`,
      ratio: speedRatio(ours.ms, naive.ms),
    },
    {
      benchmark: `${what}, photos to S3-compatible object storage (WINGCHECK_S3_*, s3rver on loopback) vs the folder store`,
      figure: `to object storage: ${line(objectStorage)}`,
      comparison: `to the folder store (the default), same run: ${line(ours)}`,
      ratio: speedRatio(objectStorage.ms, ours.ms),
    },
    {
      benchmark: `${what}, vs the loopback limit (the same bytes in one request to a server that discards them)`,
      figure: `Wingcheck ${times(ours)} the limit`,
      comparison: `limit ${line(limit)}; PouchDB ${times(pouch)}, unbatched ${times(naive)} the limit`,
      ratio: `Wingcheck ${times(ours)}, PouchDB ${times(pouch)}, unbatched ${times(naive)} the limit’s time`,
    },
  ],
});
