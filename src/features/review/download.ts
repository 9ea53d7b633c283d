import { markSessionExpired } from '../../data/session.ts';
import { exportPath, type ExportFormat, type ExportRequest } from '../../shared/api/export.ts';
import { ApiRequestError, networkError, responseError } from '../../shared/api/errors.ts';

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
  let response: Response;
  try {
    response = await fetch(exportPath(format, request), { credentials: 'same-origin', signal });
  } catch (error) {
    if (signal.aborted) throw error;
    throw networkError();
  }
  if (response.status === 401) {
    markSessionExpired().catch((error: unknown) => {
      console.error('could not record the ended session', error);
    });
  }
  if (!response.ok) throw await responseError(response);
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
