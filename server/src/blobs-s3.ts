/**
 * Photos in S3-compatible object storage, for several servers sharing one store (issue 20). Keys
 * are the SHA-256 of the bytes, so a put is idempotent and any server may answer any photo.
 *
 * Requests are signed with SigV4 by aws4fetch (a few KB, against several MB for @aws-sdk/client-s3)
 * and sent with node:http(s), so bodies stream both ways with a Content-Length and are never held
 * whole. Path-style addressing always (`<endpoint>/<bucket>/<key>`), which every compatible server takes.
 *
 * Integrity on the way in: the signed payload hash is the SHA-256 the photo is stored under, so S3
 * and the servers that check SigV4 payloads refuse other bytes before storing anything. The store
 * also hashes what it sends, and removes the object if the bytes were not those (a server that does
 * not check, such as the one the tests run, would otherwise keep them).
 */
import { createHash } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { AwsClient } from 'aws4fetch';
import { BlobHashMismatchError, SHA256_HEX, type BlobStore } from './blobs.ts';

export interface S3Settings {
  /** e.g. http://127.0.0.1:9000: the server's origin, without the bucket. */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** An answer from the object store that was neither what was asked for nor "not found". */
export class ObjectStoreError extends Error {
  override name = 'ObjectStoreError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** What S3-compatible stores answer when the bytes do not match the signed payload hash or a checksum. */
const PAYLOAD_REFUSED = new Set(['XAmzContentSHA256Mismatch', 'BadDigest', 'InvalidDigest']);
/** How long a request may wait for the store before it fails (a hung store must not hang a push). */
const REQUEST_TIMEOUT_MS = 30_000;

interface SendOptions {
  /** The SHA-256 of the body, signed: the store refuses other bytes. */
  payloadHash?: string;
  size?: number;
  body?: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  /** Told of each piece of the body as it goes. */
  onPiece?: (piece: Uint8Array) => void;
}

export class S3BlobStore implements BlobStore {
  readonly kind = 's3';
  private readonly client: AwsClient;
  private readonly base: URL;

  constructor(private readonly settings: S3Settings) {
    this.client = new AwsClient({
      accessKeyId: settings.accessKeyId,
      secretAccessKey: settings.secretAccessKey,
      service: 's3',
      region: settings.region,
      // Each request is sent once here; retrying a streamed body is the caller's business.
      retries: 0,
    });
    this.base = new URL(settings.endpoint);
  }

  private url(key = ''): URL {
    const url = new URL(this.base.href);
    url.pathname = `${url.pathname.replace(/\/$/, '')}/${encodeURIComponent(this.settings.bucket)}${key ? `/${key}` : ''}`;
    return url;
  }

  private keyFor(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new Error(`not a SHA-256 hex digest: ${sha256}`);
    return sha256;
  }

  /**
   * Sends a signed request: `body` is streamed with `size` as its Content-Length, and must yield
   * exactly that many bytes. Resolves with the response, its body not read.
   */
  private async send(
    method: string,
    url: URL,
    options: SendOptions = {},
  ): Promise<IncomingMessage> {
    const signed = await this.client.sign(url.href, {
      method,
      headers: { 'x-amz-content-sha256': options.payloadHash ?? 'UNSIGNED-PAYLOAD' },
    });
    const headers: Record<string, string> = {};
    signed.headers.forEach((value, name) => {
      headers[name] = value;
    });
    if (options.size !== undefined) headers['content-length'] = String(options.size);
    const requestFn = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req = requestFn(url, { method, headers, timeout: REQUEST_TIMEOUT_MS }, resolve);
      /** What the body's source threw (a cut upload, the wrong bytes): passed on as it is. */
      let sourceError: unknown = null;
      req.on('error', (error) => {
        // Anything else is the store not answering: the request may be sent again later.
        if (error === sourceError || error instanceof ObjectStoreError) reject(error);
        else reject(new ObjectStoreError(503, 'Unreachable', `the object store could not be reached for ${method}: ${error.message}`));
      });
      req.on('timeout', () => req.destroy(new ObjectStoreError(504, 'Timeout', `the object store did not answer ${method} in ${REQUEST_TIMEOUT_MS / 1000} s`)));
      if (!options.body) {
        req.end();
        return;
      }
      const { body, size = 0, onPiece } = options;
      void (async () => {
        let sent = 0;
        for await (const piece of body) {
          sent += piece.byteLength;
          if (sent > size) throw new BlobHashMismatchError(`more than the ${size} bytes announced`);
          onPiece?.(piece);
          // Backpressure: the socket's buffer, not the heap, holds what is on its way.
          if (!req.write(piece)) await new Promise<void>((drained) => req.once('drain', drained));
        }
        if (sent !== size) throw new BlobHashMismatchError(`${sent} bytes, not the ${size} announced`);
        req.end();
      })().catch((error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        sourceError = failure;
        req.destroy(failure);
      });
    });
  }

  /** An error answer as an error, with its S3 code (`<Code>NoSuchKey</Code>`) where it gave one. */
  private async errorOf(response: IncomingMessage, what: string): Promise<ObjectStoreError> {
    let text = '';
    for await (const chunk of response) {
      if (text.length < 4096) text += String(chunk);
    }
    const code = /<Code>([^<]{1,100})<\/Code>/.exec(text)?.[1] ?? 'Unknown';
    return new ObjectStoreError(response.statusCode ?? 0, code, `the object store answered ${response.statusCode ?? 0} ${code} to ${what}`);
  }

  private async fail(response: IncomingMessage, what: string): Promise<never> {
    throw await this.errorOf(response, what);
  }

  /** Creates the bucket if it is missing (the settings promise this); throws if the store cannot be reached. */
  async ensureBucket(): Promise<void> {
    try {
      await this.check();
      return;
    } catch (error) {
      if (!(error instanceof ObjectStoreError && error.status === 404)) throw error;
    }
    const created = await this.send('PUT', this.url());
    // Another server may have made it a moment ago.
    if (created.statusCode === 200 || created.statusCode === 409) {
      created.resume();
      return;
    }
    await this.fail(created, `create bucket ${this.settings.bucket}`);
  }

  /** Whether the store answers for the bucket (readiness): throws if not. */
  async check(): Promise<void> {
    const head = await this.send('HEAD', this.url());
    head.resume();
    if (head.statusCode !== 200) await this.fail(head, `HEAD bucket ${this.settings.bucket}`);
  }

  async has(sha256: string): Promise<boolean> {
    // No photo is stored under a key that is not a digest.
    if (!SHA256_HEX.test(sha256)) return false;
    const response = await this.send('HEAD', this.url(this.keyFor(sha256)));
    response.resume();
    if (response.statusCode === 200) return true;
    if (response.statusCode === 404) return false;
    return this.fail(response, `HEAD ${sha256}`);
  }

  async put(sha256: string, bytes: Uint8Array): Promise<void> {
    await this.putStream(sha256, bytes.byteLength, [bytes]);
  }

  async putStream(sha256: string, size: number, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<void> {
    const url = this.url(this.keyFor(sha256));
    const hash = createHash('sha256');
    const response = await this.send('PUT', url, { payloadHash: sha256, size, body: source, onPiece: (piece) => hash.update(piece) });
    if (response.statusCode !== 200) {
      const error = await this.errorOf(response, `PUT ${sha256}`);
      // The store's own check of the signed payload hash: the bytes were not these.
      if (PAYLOAD_REFUSED.has(error.code)) throw new BlobHashMismatchError(`bytes do not hash to ${sha256} (the object store refused them)`);
      throw error;
    }
    response.resume();
    if (hash.digest('hex') !== sha256) {
      await this.delete(sha256);
      throw new BlobHashMismatchError(`bytes do not hash to ${sha256}`);
    }
  }

  async get(sha256: string): Promise<Readable | null> {
    if (!SHA256_HEX.test(sha256)) return null;
    const response = await this.send('GET', this.url(this.keyFor(sha256)));
    if (response.statusCode === 200) return response;
    if (response.statusCode === 404) {
      response.resume();
      return null;
    }
    // The error's body names its code: read by fail, not thrown away.
    return this.fail(response, `GET ${sha256}`);
  }

  async delete(sha256: string): Promise<void> {
    const response = await this.send('DELETE', this.url(this.keyFor(sha256)));
    if (response.statusCode === 204 || response.statusCode === 200 || response.statusCode === 404) {
      response.resume();
      return;
    }
    await this.fail(response, `DELETE ${sha256}`);
  }
}
