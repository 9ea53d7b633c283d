import { api } from '../../api/api.ts';
import { exportQueryOf, type ExportFormat, type ExportRequest } from '../../shared/api/export.ts';
import { ApiRequestError } from '../../shared/api/errors.ts';

/** The file name the server chose (`attachment; filename="evidence-1.7-….pdf"`), if it gave one. */
function fileNameOf(disposition: string | null): string | null {
  return /filename="([^"]+)"/.exec(disposition ?? '')?.[1] ?? null;
}

/**
 * Fetches a pack, reading the body as it streams so the page can say how much has arrived: a pack
 * of a whole plan with its photos runs to hundreds of megabytes and takes a while to prepare.
 */
export async function fetchPack(
  format: ExportFormat,
  request: ExportRequest,
  signal: AbortSignal,
  onProgress: (received: number) => void,
): Promise<{ blob: Blob; fileName: string }> {
  // The client says when there is no connection, ends the session on 401 and reads a refusal.
  const response = await api.file(format === 'pdf' ? 'exports.pdf' : 'exports.csv', { query: exportQueryOf(request) }, signal);
  const reader = response.body?.getReader();
  if (!reader) throw new ApiRequestError(response.status, 'no_body', 'The server sent an empty pack. Try again.');
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.length;
      onProgress(received);
    }
  } catch (error) {
    if (signal.aborted) throw error;
    // The server stops the stream rather than send a pack with pieces missing.
    throw new ApiRequestError(0, 'interrupted', 'The download stopped before the pack was complete. Try again.');
  }
  return {
    blob: new Blob(chunks, { type: response.headers.get('content-type') ?? 'application/octet-stream' }),
    fileName: fileNameOf(response.headers.get('content-disposition')) ?? `evidence.${format}`,
  };
}

/** Hands the file to the browser's downloads, as a link with `download` would. */
export function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Not at once: some browsers read the URL after click() has returned.
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 60_000);
}
