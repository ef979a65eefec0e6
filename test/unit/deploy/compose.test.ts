import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { execForm, parseDockerfile, parseEnvExample, projectFile, readmeStartCommand } from '../../helpers/deploy-files.js';

interface Service {
  image?: string;
  build?: { context?: string; args?: Record<string, string> } | string;
  command?: string[] | string;
  environment?: Record<string, string>;
  env_file?: string | string[];
  depends_on?: Record<string, { condition?: string }>;
  volumes?: string[];
  ports?: string[];
  healthcheck?: { test?: string[] | string };
  deploy?: { replicas?: number };
  stop_grace_period?: string;
}

const text = projectFile('docker-compose.yml');
const compose = parse(text, { merge: true }) as { services: Record<string, Service>; volumes?: Record<string, unknown> };
const services = Object.entries(compose.services);
/** The services built from this project's Dockerfile: the bot instances. */
const bots = services.filter(([, s]) => (typeof s.build === 'string' ? s.build : s.build?.context) === '.');
const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
/** `postgresql://user:password@host:port/db` with compose's `${…}` left as written. */
const pgUrl = (url: string) => /^postgresql:\/\/(\$\{[^}]+\}):(\$\{[^}]+\})@([\w-]+):(\d+)\/(\$\{[^}]+\})$/.exec(url);

describe('docker-compose.yml', () => {
  it('runs at least two bot instances, each with the README start command', () => {
    const instances = bots.reduce((n, [, s]) => n + (s.deploy?.replicas ?? 1), 0);
    expect(instances).toBeGreaterThanOrEqual(2);
    const start = readmeStartCommand();
    const imageCmd = execForm(
      parseDockerfile(projectFile('Dockerfile'))
        .stages.at(-1)!
        .instructions.findLast((i) => i.name === 'CMD')!.args,
    );
    for (const [name, bot] of bots) expect(bot.command ? list(bot.command) : imageCmd, name).toEqual(start);
  });

  it('points every bot at the PostgreSQL 15 service, started only once that is healthy', () => {
    for (const [name, bot] of bots) {
      const url = pgUrl(bot.environment?.DATABASE_URL ?? '');
      expect(url, `${name} DATABASE_URL`).not.toBeNull();
      const [, user, password, host, port, db] = url!;
      const pg = compose.services[host!];
      expect(pg?.image, `${name} connects to ${host}`).toMatch(/^postgres:15(\.|-|$)/);
      expect(port).toBe('5432');
      // The same account and database the PostgreSQL service creates.
      expect(pg!.environment).toMatchObject({ POSTGRES_USER: user, POSTGRES_PASSWORD: password, POSTGRES_DB: db });
      expect(bot.depends_on?.[host!]?.condition, name).toBe('service_healthy');
    }
  });

  it('gives PostgreSQL a health check and a named volume, and no port on the host', () => {
    const [, pg] = services.find(([, s]) => s.image?.startsWith('postgres:'))!;
    expect(list(pg.healthcheck?.test).join(' ')).toMatch(/pg_isready/);
    const volume = pg.volumes?.find((v) => v.endsWith(':/var/lib/postgresql/data'))?.split(':')[0];
    expect(volume).toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(volume);
    expect(pg.ports ?? []).toEqual([]);
  });

  it('reads the settings from .env and shares one data volume and one organisation folder between the bots', () => {
    const image = parseDockerfile(projectFile('Dockerfile')).stages.at(-1)!;
    const dataDir = /DATA_DIR=(\S+)/.exec(
      image.instructions
        .filter((i) => i.name === 'ENV')
        .map((i) => i.args)
        .join(' '),
    )![1];
    const mounts = new Set<string>();
    for (const [name, bot] of bots) {
      expect(list(bot.env_file), name).toContain('.env');
      const data = bot.volumes?.find((v) => v.split(':')[1] === dataDir);
      expect(data, `${name} mounts ${dataDir}`).toBeDefined();
      expect(Object.keys(compose.volumes ?? {})).toContain(data!.split(':')[0]);
      mounts.add(data!.split(':')[0]!);
      expect(bot.volumes, name).toContainEqual('./config:/app/config:ro');
      // Longer than the 10 s the bot gives running work after SIGTERM.
      expect(Number.parseInt(bot.stop_grace_period ?? '10', 10), name).toBeGreaterThan(10);
    }
    expect(mounts.size).toBe(1);
  });

  it('publishes each bot on its own port of the host loopback, for a reverse proxy in front', () => {
    const published = bots.flatMap(([, bot]) => bot.ports ?? []);
    expect(published.length).toBe(bots.length);
    for (const port of published) expect(port).toMatch(/^127\.0\.0\.1:\d+:3000$/);
    expect(new Set(published).size).toBe(published.length);
  });

  it('asks only for variables that .env.example explains', () => {
    const explained = new Set(parseEnvExample(projectFile('.env.example')).map((v) => v.key));
    const used = new Set([...text.matchAll(/\$\{(\w+)/g)].map((m) => m[1]!));
    expect(used.size).toBeGreaterThan(0);
    for (const name of used) expect(explained, name).toContain(name);
  });
});
