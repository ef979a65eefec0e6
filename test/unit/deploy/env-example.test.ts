import { describe, expect, it } from 'vitest';
import { EnvSchema, loadConfig } from '../../../bot/config.js';
import { parseEnvExample, projectFile } from '../../helpers/deploy-files.js';

const vars = parseEnvExample(projectFile('.env.example'));
const botVars = vars.filter((v) => !v.composeOnly);
const composeVars = vars.filter((v) => v.composeOnly);
const schema = EnvSchema.shape as Record<string, (typeof EnvSchema.shape)[keyof typeof EnvSchema.shape]>;

describe('.env.example', () => {
  it('lists every variable the bot reads, and nothing it does not', () => {
    expect(botVars.map((v) => v.key).sort()).toEqual(Object.keys(schema).sort());
  });

  it('lists each variable once, under a one-line comment on its meaning and default', () => {
    expect(new Set(vars.map((v) => v.key)).size).toBe(vars.length);
    for (const v of vars) {
      expect(v.comment, `${v.key} (line ${v.line}) has no comment above it`).toBeDefined();
      expect(v.comment, v.key).toMatch(/\bDefault: \S/);
    }
  });

  it('shows each default as the bot has it, and only values the bot accepts', () => {
    for (const v of botVars) {
      const field = schema[v.key]!;
      const fallback = field.safeParse(undefined);
      if (!v.active && fallback.success && fallback.data !== undefined) {
        expect(v.value, `${v.key} shows its default`).toBe(String(fallback.data));
        expect(v.comment, v.key).toContain(`Default: ${String(fallback.data)}.`);
      } else if (v.value !== '') {
        expect(field.safeParse(v.value).success, `${v.key}=${v.value}`).toBe(true);
      }
    }
  });

  it('starts the bot as it stands once copied: the variables it sets pass the checks at start', () => {
    const set = Object.fromEntries(botVars.filter((v) => v.active).map((v) => [v.key, v.value]));
    expect(set).toMatchObject({ NODE_ENV: 'production' });
    expect(() => loadConfig(set)).not.toThrow();
    expect(loadConfig(set).simulator).toBe(false);
  });

  it('keeps the variables of docker-compose.yml apart, each of them used there', () => {
    const compose = projectFile('docker-compose.yml');
    expect(composeVars.length).toBeGreaterThan(0);
    for (const v of composeVars) {
      expect(Object.keys(schema), v.key).not.toContain(v.key);
      expect(compose, v.key).toContain(`\${${v.key}`);
    }
  });
});
