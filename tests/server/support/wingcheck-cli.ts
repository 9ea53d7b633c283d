// The set-up command run as a person runs it, and a person's conversation with the server.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CSRF_HEADER } from '../../../src/shared/auth.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run --silent wingcheck -- ...args` as a person would, with `env` over the test's own. */
export function wingcheckIn(env: Record<string, string>, ...args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'wingcheck', '--', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

/** A person's conversation with the server: a cookie and the CSRF token sign-in hands out. */
export function client(base: string) {
  let cookie = '';
  let csrf = '';
  const call = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: { 'content-type': 'application/json', cookie, [CSRF_HEADER]: csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) cookie = setCookie.split(';')[0] ?? '';
    const json = (await res.json().catch(() => null)) as Record<string, unknown> | null;
    if (typeof json?.csrfToken === 'string') csrf = json.csrfToken;
    return { status: res.status, json };
  };
  /** The session's headers, for requests that send or read other than JSON (photos). */
  const headers = (): Record<string, string> => ({ cookie, [CSRF_HEADER]: csrf });
  return Object.assign(call, { headers });
}
