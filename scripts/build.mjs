/**
 * Compiles the bot to dist/ (`npm run build`): TypeScript's own compiler with tsconfig.build.json
 * (bot/, commands/, adapters/ and the generated Prisma clients they import, file for file, without
 * type checking: `npm run typecheck` and `npm test` check the types), plus the files the code reads
 * next to itself at run time (every non-TypeScript file under bot/, commands/, adapters/, such as
 * adapters/simulator/page.html). The organisation file and the migrations are not copied: the bot
 * finds them from the project root.
 *
 *   node scripts/build.mjs               build
 *   node scripts/build.mjs --if-stale    build only when dist/ is missing or was built from other
 *                                        sources (`prestart`); without TypeScript (an install without
 *                                        dev dependencies), keep an existing dist/ with a warning
 *   node scripts/build.mjs --if-possible build, or only say why not when TypeScript is not installed
 *                                        (`postinstall`, so `npm ci --omit=dev` does not fail)
 *
 * The build goes to a temporary folder that replaces dist/ when complete, with a stamp file holding
 * a hash of the sources it was built from. --if-stale compares modification times first (quick) and,
 * when a source looks newer, the hash: a checkout or a `prisma generate` that rewrote files without
 * changing them does not cost a rebuild.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const STAMP = '.build-stamp';
/** Folders compiled (their .ts files) and copied (everything else in them). */
const SOURCES = ['bot', 'commands', 'adapters'];
/** Further inputs: the generated Prisma clients, the compiler settings, this script. */
const INPUTS = [...SOURCES, 'generated', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build.mjs'];

/** The newest modification time among `p` and everything under it (folders too: a deleted file changes its folder). */
function newest(p) {
  let stat;
  try {
    stat = statSync(p);
  } catch {
    return 0;
  }
  let t = stat.mtimeMs;
  if (stat.isDirectory()) for (const name of readdirSync(p)) t = Math.max(t, newest(path.join(p, name)));
  return t;
}

/** A hash of every input's path and content. */
function sourcesHash() {
  const hash = createHash('sha256');
  const add = (p) => {
    const full = path.join(ROOT, p);
    if (!existsSync(full)) return;
    if (statSync(full).isDirectory()) for (const name of readdirSync(full).sort()) add(path.join(p, name));
    else hash.update(`${p}\0`).update(readFileSync(full)).update('\0');
  };
  for (const p of INPUTS) add(p);
  return hash.digest('hex');
}

/** Why dist/ needs building, or undefined when it is up to date. */
function stale() {
  const stampFile = path.join(DIST, STAMP);
  let built;
  let stamp;
  try {
    built = statSync(stampFile).mtimeMs;
    stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    return 'dist/ has not been built';
  }
  if (!existsSync(path.join(DIST, 'bot', 'main.js'))) return 'dist/ is incomplete';
  const changed = INPUTS.find((p) => newest(path.join(ROOT, p)) > built);
  if (!changed) return undefined;
  if (stamp.sources !== sourcesHash()) return `${changed} changed since the last build`;
  try {
    const now = new Date();
    utimesSync(stampFile, now, now); // the same content: skip the hash next time
  } catch {
    // a read-only dist/: compare the hash again next time
  }
  return undefined;
}

function compiler() {
  try {
    return createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    return undefined;
  }
}

/** Copies the non-TypeScript files under `from` to `to`. */
function copyAssets(from, to) {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    if (entry.isDirectory()) copyAssets(src, path.join(to, entry.name));
    else if (!entry.name.endsWith('.ts')) {
      mkdirSync(to, { recursive: true });
      cpSync(src, path.join(to, entry.name));
    }
  }
}

function build(tsc) {
  const started = Date.now();
  const sources = sourcesHash();
  const tmp = path.join(ROOT, `dist.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  try {
    const result = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', tmp], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    if (result.status !== 0) throw new Error(`tsc failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`})`);
    for (const dir of SOURCES) copyAssets(path.join(ROOT, dir), path.join(tmp, dir));
    writeFileSync(path.join(tmp, STAMP), `${JSON.stringify({ builtAt: new Date().toISOString(), sources })}\n`);
    // Swap the finished build in: a failed build never leaves a dist/ that looks complete.
    const old = path.join(ROOT, `dist.old-${process.pid}`);
    if (existsSync(DIST)) renameSync(DIST, old);
    renameSync(tmp, DIST);
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  console.error(`built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function main() {
  const mode = process.argv[2];
  if (mode !== undefined && mode !== '--if-stale' && mode !== '--if-possible') {
    console.error('usage: node scripts/build.mjs [--if-stale | --if-possible]');
    return 2;
  }
  if (mode === '--if-stale') {
    const why = stale();
    if (!why) return 0;
    const tsc = compiler();
    if (!tsc) {
      if (existsSync(path.join(DIST, 'bot', 'main.js'))) {
        console.error(`warning: ${why}, but TypeScript (a dev dependency) is not installed: starting the existing build`);
        return 0;
      }
      console.error(`${why}, and TypeScript (a dev dependency) is not installed: run \`npm run build\` where dev dependencies are installed, or install them`);
      return 1;
    }
    console.error(`building dist/: ${why}`);
    build(tsc);
    return 0;
  }
  const tsc = compiler();
  if (!tsc) {
    if (mode === '--if-possible') {
      console.error('skipping the build: TypeScript (a dev dependency) is not installed; `npm start` needs a dist/ built elsewhere');
      return 0;
    }
    console.error('TypeScript (a dev dependency) is not installed: install the dev dependencies to build');
    return 1;
  }
  build(tsc);
  return 0;
}

try {
  process.exitCode = main();
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
}
