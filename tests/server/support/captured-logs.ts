import { Writable } from 'node:stream';

/** A log stream for the app's logger that keeps everything written to it, for tests to read. */
export function capturedLogs(): { stream: Writable; text: () => string } {
  let logs = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs += chunk.toString();
      done();
    },
  });
  return { stream, text: () => logs };
}
