// A Wingcheck server of a test's own (port and data folder), for tests that stop and restart it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_PASSWORD } from '../../../playwright.config.ts';
import { freePort } from '../../support/ports.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export class OwnServer {
  private child: ChildProcess | null = null;
  private constructor(
    readonly port: number,
    readonly dataDir: string,
  ) {}

  static async create(): Promise<OwnServer> {
    return new OwnServer(await freePort(), mkdtempSync(path.join(tmpdir(), 'wingcheck-e2e-own-')));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts it, with `env` on top of the usual settings (single sign-on's, for one). */
  async start(env: Record<string, string> = {}): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/index.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(this.port),
        WINGCHECK_DATA_DIR: this.dataDir,
        WINGCHECK_DEMO_PASSWORD: DEMO_PASSWORD,
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('Wingcheck is running at')) resolve();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        err += chunk.toString();
      });
      child.once('exit', (code) => {
        reject(new Error(`server exited with ${String(code)}: ${err}`));
      });
    });
  }

  /** Stops it as an operator would (SIGTERM): it finishes and lets go of its data folder. */
  stop(): Promise<void> {
    return this.halt('SIGTERM');
  }

  /** Stops it as a power cut would: no chance to finish anything. */
  kill(): Promise<void> {
    return this.halt('SIGKILL');
  }

  private async halt(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (child?.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
    this.child = null;
  }

  async dispose(): Promise<void> {
    await this.kill();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
