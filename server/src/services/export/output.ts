import { PassThrough } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** The person's download went away (cancelled, or the connection dropped): stop reading the database. */
export class DownloadAbandoned extends Error {
  override name = 'DownloadAbandoned';
}

/**
 * The stream a reply sends, written by a pack writer that waits (`settle`) whenever the client has
 * fallen behind. Without that wait a writer fed by a fast database would queue the whole pack in
 * memory behind a slow connection; with it, memory holds the buffer plus the piece being written.
 */
export class PacedOutput {
  readonly stream: PassThrough;

  constructor(highWaterMark = 64 * 1024) {
    this.stream = new PassThrough({ highWaterMark });
  }

  /** Queues bytes; call `settle()` between pieces to let the client catch up. */
  write(chunk: string | Uint8Array): void {
    if (!this.stream.destroyed) this.stream.write(chunk);
  }

  /** Resolves once the queue has drained and other work has had a turn; rejects with DownloadAbandoned once nobody is reading. */
  async settle(): Promise<void> {
    const { stream } = this;
    if (stream.destroyed) throw new DownloadAbandoned();
    if (!stream.writableNeedDrain) {
      // PGlite answers queries without giving the event loop a turn: without this, a long pack would
      // hold up every other request, and its own bytes would wait in memory for the socket.
      await nextTurn();
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const cleanup = () => {
        stream.off('drain', drained);
        stream.off('close', closed);
      };
      const drained = () => {
        cleanup();
        resolve();
      };
      const closed = () => {
        cleanup();
        reject(new DownloadAbandoned());
      };
      stream.on('drain', drained);
      stream.on('close', closed);
    });
  }
}

/**
 * Runs a writer after the reply has started. A failure part-way cannot become an error status any
 * more: the stream is destroyed instead, so the client sees a broken download, never a short file
 * that looks complete.
 */
export function produce(output: PacedOutput, write: () => Promise<void>, onError: (error: unknown) => void): void {
  write().then(
    () => {
      output.stream.end();
    },
    (error: unknown) => {
      if (error instanceof DownloadAbandoned) return;
      onError(error);
      output.stream.destroy(error instanceof Error ? error : new Error(String(error)));
    },
  );
}
