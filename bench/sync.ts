/**
 * Sync throughput: 1,000 checks with 1,000 photos (~300 KB each) from one device to a local
 * server, through Wingcheck's engine (photos first, then pushes of up to 25 mutations), against the
 * same data sent one request per item with no batching (the Workbox background-sync replay
 * pattern: each queued request replayed on its own). Each run gets a fresh server and data folder.
 * Run: npm run bench:sync
 */
import { createHash, randomBytes } from 'node:crypto';
import { SessionInfo } from '../src/shared/auth.ts';
import type { Change, PushRequest } from '../src/shared/api/sync.ts';
import { PROTOCOL_VERSION, type SubmitCheckPayload } from '../src/shared/mutations.ts';
import { newId } from '../src/shared/ids.ts';
import type { OutboxItem } from '../src/sync/engine.ts';
import { httpTransport } from '../src/sync/http-transport.ts';
import { runSync, type SyncStore } from '../src/sync/run.ts';
import { BENCH_PASSWORD, startBenchServer } from './support/server.ts';

const CHECKS = Number(process.env.BENCH_CHECKS ?? 1000);
const PHOTO_BYTES = 300 * 1024;

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
    return fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), cookie } });
  };
  return { info, counters, fetch: counted };
}

async function references(base: string, fetchAs: typeof fetch) {
  const templates = (await (await fetchAs('/api/templates')).json()) as { id: string; definition: { key: string } }[];
  const units = (await (await fetchAs('/api/units')).json()) as { id: string }[];
  const version = templates.find((t) => t.definition.key === 'weekly-unit-cleaning');
  if (!version || !units[0]) throw new Error(`no template or unit on ${base}`);
  return { templateVersionId: version.id, unitId: units[0].id };
}

interface Item {
  mutation: OutboxItem;
  photo: { sha: string; bytes: ArrayBuffer };
}

function makeItems(refs: { templateVersionId: string; unitId: string }, clientId: string): Item[] {
  return Array.from({ length: CHECKS }, (_, i) => {
    // Incompressible bytes behind a JPEG signature: the server checks the type by its first bytes.
    const bytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(PHOTO_BYTES - 4)]);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const payload: SubmitCheckPayload = {
      checkId: newId(),
      ...refs,
      scheduleId: null,
      dueOn: null,
      landing: null,
      actionIds: [],
      answers: ['walls-windows', 'servery-deep-clean', 'bins-drains', 'cleaning-materials'].map((itemId) => ({ itemId, value: 'pass' as const })),
      photos: [{ sha256: sha, mime: 'image/jpeg', size: bytes.length, width: 2048, height: 1536, itemId: null }],
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
      photos: [sha],
    };
    return { mutation, photo: { sha, bytes: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) } };
  });
}

function memoryStore(items: Item[], clientId: string): SyncStore {
  const outbox = items.map((i) => i.mutation);
  const photos = new Map(items.map((i) => [i.photo.sha, i.photo.bytes]));
  const uploaded = new Set<string>();
  let cursor = '0';
  return {
    clientId: () => Promise.resolve(clientId),
    waiting: (limit) => Promise.resolve(outbox.slice(0, limit)),
    photo: (sha) => Promise.resolve(photos.has(sha) ? { bytes: photos.get(sha) ?? new ArrayBuffer(0), mime: 'image/jpeg' } : null),
    uploaded: () => Promise.resolve(new Set(uploaded)),
    markUploaded: (sha) => {
      uploaded.add(sha);
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

async function countChecks(fetchAs: typeof fetch): Promise<number> {
  let cursor = '0';
  let checks = 0;
  for (;;) {
    const page = (await (await fetchAs(`/api/sync/pull?cursor=${cursor}`)).json()) as { changes: Change[]; cursor: string; hasMore: boolean };
    checks += page.changes.filter((c) => c.entity === 'check').length;
    cursor = page.cursor;
    if (!page.hasMore) return checks;
  }
}

interface Figure {
  ms: number;
  requests: number;
  bytes: number;
}

async function wingcheckSync(): Promise<Figure> {
  const server = await startBenchServer();
  try {
    const c = await client(server.url);
    const clientId = `bench-${newId()}`;
    const store = memoryStore(makeItems(await references(server.url, c.fetch), clientId), clientId);
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
    if ((await countChecks(c.fetch)) !== CHECKS) throw new Error('not every check arrived');
    return figure;
  } finally {
    server.stop();
  }
}

async function unbatched(): Promise<Figure> {
  const server = await startBenchServer();
  try {
    const c = await client(server.url);
    const clientId = `bench-${newId()}`;
    const items = makeItems(await references(server.url, c.fetch), clientId);
    const headers = { 'x-csrf-token': c.info.csrfToken, 'x-wingcheck-device': clientId };
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
    if ((await countChecks(c.fetch)) !== CHECKS) throw new Error('not every check arrived');
    return figure;
  } finally {
    server.stop();
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const ours = await wingcheckSync();
const naive = await unbatched();
const line = (f: Figure) => `${(f.ms / 1000).toFixed(1)} s, ${f.requests} requests, ${mb(f.bytes)} sent`;
console.log(`Wingcheck sync, ${CHECKS} checks + ${CHECKS} photos of 300 KB: ${line(ours)}`);
console.log(`One request per item, unbatched: ${line(naive)}`);
console.log(`ratio (unbatched / Wingcheck): ${(naive.ms / ours.ms).toFixed(2)}× time, ${(naive.requests / ours.requests).toFixed(2)}× requests`);
