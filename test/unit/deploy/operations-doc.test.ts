import { describe, expect, it } from 'vitest';
import { readinessGauges } from '../../../bot/health/gauges.js';
import { Metrics } from '../../../bot/metrics.js';
import { projectFile } from '../../helpers/deploy-files.js';

const guide = projectFile('docs/operations.md');
const readme = projectFile('README.md');
/** The bot's own metrics, as /metrics exposes them. */
const registry = new Metrics().registry;
readinessGauges(registry, () => Promise.reject(new Error('not read: only the names are')));
const metrics = registry
  .getMetricsAsArray()
  .map((m) => m.name)
  .filter((name) => name.startsWith('helpdesk_'));
/** The code blocks of a Markdown text. */
const codeBlocks = (text: string) => [...text.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1]!).join('\n');

describe('docs/operations.md', () => {
  it('explains every metric of /metrics in its table, and names no metric the bot does not have', () => {
    expect(metrics.length).toBeGreaterThan(5);
    for (const name of metrics) expect(guide, name).toMatch(new RegExp(`^\\| \`${name}(\\{[a-z,]+\\})?\` \\|`, 'm'));
    for (const [name] of guide.matchAll(/helpdesk_[a-z_]+/g)) expect(metrics, name).toContain(name);
  });

  it('runs only npm scripts that exist, in its commands and the README section that leads to it', () => {
    const section = readme.slice(readme.indexOf('## Running it in a hospital'), readme.indexOf('## When the database fails'));
    const commands = codeBlocks(guide) + codeBlocks(section);
    const used = [...commands.matchAll(/npm run (\S+)(?: --prefix (\S+))?/g)];
    expect(used.length).toBeGreaterThan(2);
    for (const [, name, prefix] of used) {
      const scripts = JSON.parse(projectFile(`${prefix ?? '.'}/package.json`)).scripts as Record<string, string>;
      expect(Object.keys(scripts), `${prefix ?? 'package.json'}: ${name}`).toContain(name);
    }
  });

  it('is linked from the README, beside the packages it explains', () => {
    const section = readme.slice(readme.indexOf('## Running it in a hospital'));
    for (const link of ['docs/operations.md', 'Dockerfile', 'docker-compose.yml', 'deploy/helpdesk.service', '.env.example']) {
      expect(section, link).toContain(`](${link})`);
      projectFile(link);
    }
  });
});
