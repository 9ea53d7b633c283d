import { z } from 'zod';

/** One thing wrong with a request, at a dotted path into it (`items.2.label`; empty for the whole). */
export const ErrorIssue = z.object({
  path: z.string(),
  message: z.string(),
});
export type ErrorIssue = z.infer<typeof ErrorIssue>;

/**
 * Every API error has this body. `message` is fit to show a person; `issues` says which fields
 * were wrong, so a form marks them without parsing the message. `error` is the same code as
 * `code`, kept because clients and tools released before `code` read it.
 */
export const ApiError = z.object({
  error: z.string(),
  code: z.string().optional(),
  message: z.string(),
  issues: z.array(ErrorIssue).optional(),
});
export type ApiError = z.infer<typeof ApiError>;

/** The error body for a code and message, with the issues (none for errors about the whole request). */
export function errorBody(code: string, message: string, issues: readonly ErrorIssue[] = []): Required<ApiError> {
  return { error: code, code, message, issues: [...issues] };
}

/** A request the server refused or could not answer, with a message fit for the person using the app. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: readonly ErrorIssue[] = [],
  ) {
    super(message);
  }

  /** No answer at all: offline, or the server is unreachable. */
  get isNetworkError(): boolean {
    return this.status === 0;
  }

  /** The issue the server reported for this field (its path, or a path inside it), if any. */
  issueAt(field: string): ErrorIssue | undefined {
    return this.issues.find((issue) => issue.path === field || issue.path.startsWith(`${field}.`));
  }
}

/** No answer at all: the request never reached the server. */
export function networkError(): ApiRequestError {
  return new ApiRequestError(0, 'network', 'Wingcheck cannot reach the server. Check the connection and try again.');
}

/** Just what of a fetch Response this needs, so the page, the service worker and Node share it. */
interface FailedResponse {
  readonly status: number;
  json(): Promise<unknown>;
}

/** A failed response as an error, with the server's own code, message and issues when it sent them. */
export async function responseError(response: FailedResponse): Promise<ApiRequestError> {
  const parsed = ApiError.safeParse(await response.json().catch(() => null));
  if (!parsed.success) return new ApiRequestError(response.status, 'http_error', `The server answered ${response.status}.`);
  return new ApiRequestError(response.status, parsed.data.code ?? parsed.data.error, parsed.data.message, parsed.data.issues);
}
