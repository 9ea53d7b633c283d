/**
 * First step of `npm test`: the end-to-end tests need Debian's Chromium, the server tests a
 * PostgreSQL server's binaries, and the evidence pack tests poppler-utils (pdftotext, pdfinfo,
 * pdfimages) to read the PDFs back. Installs what is missing when it can (root with apt-get), and
 * otherwise says exactly what to install. Never downloads a browser build of its own.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CHROMIUM_PATH } from '../tests/support/chromium.ts';
import { findPostgresBinDir } from '../tests/support/postgres-binaries.ts';

/** Whether a program is on the PATH: spawning it fails with ENOENT when it is not. */
const onPath = (command: string) => spawnSync(command, ['-v'], { stdio: 'ignore' }).error === undefined;
const hasPoppler = () => ['pdftotext', 'pdfinfo', 'pdfimages'].every(onPath);

const missing: { what: string; debianPackage: string }[] = [];
if (!existsSync(CHROMIUM_PATH)) missing.push({ what: `Chromium at ${CHROMIUM_PATH}`, debianPackage: 'chromium' });
if (!findPostgresBinDir()) {
  missing.push({ what: 'PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql', debianPackage: 'postgresql' });
}
if (!hasPoppler()) missing.push({ what: 'the PDF tools pdftotext, pdfinfo and pdfimages', debianPackage: 'poppler-utils' });

if (missing.length > 0) {
  const packages = missing.map((m) => m.debianPackage);
  const canInstall = process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!canInstall) {
    console.error(`The tests need ${missing.map((m) => m.what).join(' and ')}.`);
    console.error(`Install ${packages.length > 1 ? 'them' : 'it'} with: sudo apt-get install -y ${packages.join(' ')}`);
    process.exit(1);
  }
  console.log(`Installing ${packages.join(' and ')} for the tests (apt-get)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
  } catch {
    console.error(`apt-get could not install ${packages.join(' ')}: install ${packages.length > 1 ? 'them' : 'it'} by hand and run npm test again.`);
    process.exit(1);
  }
  if (!existsSync(CHROMIUM_PATH) || !findPostgresBinDir() || !hasPoppler()) {
    console.error(`Installed ${packages.join(' ')}, but still cannot find ${missing.map((m) => m.what).join(' and ')}.`);
    process.exit(1);
  }
}
