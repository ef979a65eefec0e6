import { describe, expect, it } from 'vitest';
import { execForm, parseDockerfile, projectFile, readmeStartCommand, type Instruction, type Stage } from '../../helpers/deploy-files.js';

const { global, stages } = parseDockerfile(projectFile('Dockerfile'));
const build = stages[0]!;
const runtime = stages.at(-1)!;
const all = (stage: Stage, name: string): Instruction[] => stage.instructions.filter((i) => i.name === name);
const runs = (stage: Stage): string =>
  all(stage, 'RUN')
    .map((i) => i.args)
    .join('\n');
const env = (stage: Stage): Map<string, string> =>
  new Map(all(stage, 'ENV').flatMap((i) => [...i.args.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!] as [string, string])));
/** The paths a stage copies into the image from the build stage. */
const copiedFromBuild = (stage: Stage): string[] =>
  all(stage, 'COPY')
    .filter((c) => c.args.startsWith(`--from=${build.alias}`))
    .flatMap((c) => c.args.split(/\s+/).slice(1, -1))
    .map((p) => p.replace(/^\/app\//, ''));

describe('Dockerfile', () => {
  it('starts the compiled bot with exactly the command the README gives, which is what npm start runs', () => {
    const start = readmeStartCommand();
    expect(start).toEqual(JSON.parse(projectFile('package.json')).scripts.start.split(' '));
    const cmd = all(runtime, 'CMD');
    expect(cmd).toHaveLength(1);
    const entrypoint = all(runtime, 'ENTRYPOINT').map((e) => execForm(e.args) ?? []);
    expect([...(entrypoint.at(-1) ?? []), ...(execForm(cmd[0]!.args) ?? [])]).toEqual(start);
    expect(runtime.instructions.at(-1)!.name).toBe('CMD');
  });

  it('runs as a user that is not root, who owns the data volume', () => {
    const users = all(runtime, 'USER');
    expect(users.length).toBeGreaterThan(0);
    const user = users.at(-1)!.args.split(':')[0]!;
    expect(['root', '0', '']).not.toContain(user);
    expect(users.at(-1)!.line).toBeLessThan(all(runtime, 'CMD')[0]!.line);
    expect(runs(runtime)).toContain(`chown ${user}:${user} /data`);
  });

  it('keeps its data in a volume at /data, the SQLite database included', () => {
    expect(all(runtime, 'VOLUME').map((v) => v.args)).toContainEqual('["/data"]');
    const vars = env(runtime);
    expect(vars.get('DATABASE_URL')).toBe('file:/data/helpdesk.db');
    expect(vars.get('DATA_DIR')).toBe('/data');
    expect(vars.get('NODE_ENV')).toBe('production');
    // Reachable from outside the container, so published ports and the health check work.
    expect(vars.get('HOST')).toBe('0.0.0.0');
  });

  it('checks readiness at /readyz with node itself (no curl in a slim image)', () => {
    const checks = all(runtime, 'HEALTHCHECK');
    expect(checks).toHaveLength(1);
    const command = execForm(checks[0]!.args.replace(/^(--\S+\s+)*CMD\s+/, ''));
    expect(command?.slice(0, 2)).toEqual(['node', '-e']);
    expect(command![2]).toMatch(/fetch\('http:\/\/127\.0\.0\.1:' \+ \(process\.env\.PORT \|\| 3000\) \+ '\/readyz'/);
    expect(command![2]).toMatch(/process\.exit\(r\.ok \? 0 : 1\)/);
    expect(checks[0]!.args).not.toMatch(/curl|wget/);
  });

  it('builds from the npm registry given by NPM_REGISTRY: npm ci, npm run build, then drops the dev dependencies', () => {
    expect(all(build, 'ARG').map((a) => a.args.split('=')[0])).toContain('NPM_REGISTRY');
    const script = runs(build);
    const order = ['npm config set registry "$NPM_REGISTRY"', 'npm ci', 'npm run build', 'npm prune --omit=dev'].map((step) => script.indexOf(step));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // Every npm script the build runs exists (ours, or a dependency's with --prefix).
    for (const [, name, prefix] of script.matchAll(/npm run (\S+)(?: --prefix (\S+))?/g)) {
      const scripts = JSON.parse(projectFile(`${prefix ?? '.'}/package.json`)).scripts as Record<string, string>;
      expect(Object.keys(scripts), `${prefix ?? 'package.json'}: ${name}`).toContain(name);
    }
    // Node's headers come from the image, not from a download at build time.
    expect(env(build).get('npm_config_nodedir')).toBe('/usr/local');
  });

  it('runs on node:20-bookworm-slim, built on the same Debian release so the native modules fit', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(global.every((g) => g.name === 'ARG')).toBe(true);
    expect(runtime.image).toBe('node:20-bookworm-slim');
    const [buildImage, buildTag] = build.image.split(':');
    expect(buildImage).toBe('node');
    expect(buildTag!.replace(/-slim$/, '')).toBe('20-bookworm');
    // The runtime installs nothing: it takes the build stage's node_modules.
    expect(runs(runtime)).not.toMatch(/npm (ci|install|i |rebuild)|apt-get|curl|wget/);
    expect(copiedFromBuild(runtime)).toEqual(expect.arrayContaining(['node_modules', 'dist', 'package.json']));
  });

  it('has in the image what the migrations at start need: prisma/, prisma.config.ts and what it imports', () => {
    const copied = copiedFromBuild(runtime);
    expect(copied).toEqual(expect.arrayContaining(['prisma', 'prisma.config.ts', 'config']));
    const imported = [...projectFile('prisma.config.ts').matchAll(/from '(\.[^']+)'/g)].map((m) => m[1]!.replace(/^\.\//, '').replace(/\.js$/, '.ts'));
    expect(imported.length).toBeGreaterThan(0);
    for (const file of imported) {
      expect(copied, file).toContain(file);
      // …and that module imports nothing of the project in turn.
      expect(projectFile(file)).not.toMatch(/from '\./);
    }
  });
});

/** Whether a .dockerignore leaves `file` out of the build context (its patterns, `**`, `*` and `!`). */
function ignored(patterns: string[], file: string): boolean {
  let out = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = negated ? raw.slice(1) : raw;
    const regex = new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*\*\//g, '%%')
        .replace(/\*/g, '[^/]*')
        .replace(/%%/g, '(.*/)?')}(/.*)?$`,
    );
    if (regex.test(file)) out = !negated;
  }
  return out;
}

describe('.dockerignore', () => {
  const patterns = projectFile('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

  it('keeps secrets, local databases and what the build makes itself out of the image', () => {
    for (const file of [
      '.env',
      '.env.production',
      'node_modules/x/index.js',
      'dist/bot/main.js',
      'generated/prisma/client.ts',
      'data/helpdesk.db',
      'prisma/dev.db',
      'helpdesk.db-wal',
      '.git/HEAD',
    ]) {
      expect(ignored(patterns, file), file).toBe(true);
    }
  });

  it('sends what the build needs', () => {
    for (const file of [
      'package.json',
      'package-lock.json',
      'bot/main.ts',
      'bot/db/url.ts',
      'commands/index.ts',
      'adapters/simulator/page.html',
      'prisma/schema.prisma',
      'prisma/migrations/migration_lock.toml',
      'prisma/postgres/schema.prisma',
      'prisma.config.ts',
      'scripts/build.mjs',
      'tsconfig.json',
      'tsconfig.build.json',
      'config/organisation.yaml',
      '.env.example',
    ]) {
      expect(ignored(patterns, file), file).toBe(false);
    }
  });
});
