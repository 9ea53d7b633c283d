import { NotADraftError, StorageFullError } from '../../data/checks.ts';

/** A message for the person, whatever went wrong while saving evidence on the device. */
export function captureErrorMessage(error: unknown): string {
  if (error instanceof StorageFullError || error instanceof NotADraftError) return error.message;
  console.error('capture failed', error);
  return error instanceof Error && error.message ? `This could not be saved on the device: ${error.message}` : 'This could not be saved on the device. Try again.';
}
