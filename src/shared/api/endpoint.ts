import type { z } from 'zod';
import type { Role } from '../auth.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call an endpoint: 'public' (health, sign-in), 'signed-in' (anyone with a session in
 * some role), or a list of roles (the head of residence counts as a duty governor).
 */
export type Access = 'public' | 'signed-in' | readonly Role[];

/** What the request carries, by part; each part is parsed by its schema before any handler runs. */
export interface EndpointSpec {
  method: Method;
  /** Fastify's path pattern: `:name` segments are the params. */
  path: string;
  access: Access;
  params?: z.ZodType;
  query?: z.ZodType;
  /** A JSON body, or 'file' for raw bytes (an uploaded plan, a photo) sent as they are. */
  body?: z.ZodType | 'file';
  /** The JSON answer, or 'none' (204 No Content), or 'file' (bytes to save or show, not JSON). */
  response: z.ZodType | 'none' | 'file';
  /** The success status when not 200: 201 for what a request creates, 202 for work it queues. */
  status?: 201 | 202 | 204;
}

/** Declares one endpoint, keeping its literal types so client and server infer from it. */
export const endpoint = <const E extends EndpointSpec>(spec: E): E => spec;

type Part<E, K extends 'params' | 'query' | 'body', As extends 'input' | 'output'> = E extends Record<K, infer S>
  ? S extends z.ZodType
    ? Record<K, As extends 'input' ? z.input<S> : z.output<S>>
    : S extends 'file'
      ? Record<K, Blob>
      : object
  : object;

/** What a caller passes: the params, query and body the endpoint declares, before parsing. */
export type RequestOf<E extends EndpointSpec> = Part<E, 'params', 'input'> & Part<E, 'query', 'input'> & Part<E, 'body', 'input'>;

/** What a handler receives: the same parts, parsed. A file body arrives as bytes. */
export type ParsedRequestOf<E extends EndpointSpec> = Part<E, 'params', 'output'> & Part<E, 'query', 'output'> & {
  body: E['body'] extends z.ZodType ? z.output<E['body']> : E['body'] extends 'file' ? unknown : undefined;
};

/** What the client gets back, parsed. */
export type ResponseOf<E extends EndpointSpec> = E['response'] extends z.ZodType ? z.output<E['response']> : undefined;

/** What a handler returns, before serialising. */
export type ReplyOf<E extends EndpointSpec> = E['response'] extends z.ZodType ? z.input<E['response']> : undefined;

/** The address of a call: the path with its `:name` segments filled in (encoded), and its query. */
export function pathOf(spec: EndpointSpec, params?: Record<string, unknown>, query?: Record<string, unknown>): string {
  const path = spec.path.replace(/:(\w+)/g, (_, name: string) => {
    const value = params?.[name];
    if (typeof value !== 'string' && typeof value !== 'number') throw new TypeError(`${spec.path} needs :${name}`);
    return encodeURIComponent(String(value));
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') search.set(key, String(value));
    else throw new TypeError(`${spec.path}: query ${key} must be a string, number or boolean`);
  }
  const q = search.toString();
  return q ? `${path}?${q}` : path;
}
