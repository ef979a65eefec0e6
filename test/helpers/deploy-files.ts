import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Readers of the packaging files (Dockerfile, compose file, systemd unit, .env.example) for the deploy tests. */

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function projectFile(name: string): string {
  return readFileSync(path.join(root, name), 'utf8');
}

/** The command that starts the compiled bot, as the README gives it (`npm start` runs it), split into words. */
export function readmeStartCommand(): string[] {
  const match = /`npm start` runs the compiled bot, `([^`]+)`/.exec(projectFile('README.md'));
  if (!match) throw new Error('the README no longer says which command `npm start` runs');
  return match[1]!.split(/\s+/);
}

export interface Instruction {
  /** Upper-case instruction name: FROM, RUN, COPY, … */
  name: string;
  args: string;
  line: number;
}

export interface Stage {
  /** The image after FROM, with the global ARG defaults put in. */
  image: string;
  alias?: string;
  instructions: Instruction[];
}

/** A Dockerfile as its stages (continuation lines joined, comments dropped); `global` holds what precedes the first FROM. */
export function parseDockerfile(text: string): { global: Instruction[]; stages: Stage[] } {
  const instructions: Instruction[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!;
    if (/^\s*(#|$)/.test(line)) continue;
    while (line.trimEnd().endsWith('\\') && i + 1 < lines.length) {
      line = line.trimEnd().slice(0, -1);
      i++;
      if (!/^\s*#/.test(lines[i]!)) line += ` ${lines[i]!.trim()}`;
    }
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!match) throw new Error(`Dockerfile line ${start + 1}: not an instruction: ${line}`);
    instructions.push({ name: match[1]!.toUpperCase(), args: match[2]!.trim(), line: start + 1 });
  }
  const firstFrom = instructions.findIndex((ins) => ins.name === 'FROM');
  const global = instructions.slice(0, firstFrom);
  const defaults = new Map<string, string>();
  for (const ins of global) {
    const [name, value] = ins.args.split('=');
    if (ins.name === 'ARG' && name && value !== undefined) defaults.set(name, value);
  }
  const stages: Stage[] = [];
  for (const ins of instructions.slice(firstFrom)) {
    if (ins.name === 'FROM') {
      const [image, as, alias] = ins.args.replace(/^--platform=\S+\s+/, '').split(/\s+/);
      const resolved = image!.replace(/\$\{?(\w+)\}?/g, (_, name: string) => defaults.get(name) ?? '');
      stages.push({ image: resolved, alias: as?.toUpperCase() === 'AS' ? alias : undefined, instructions: [] });
    } else stages.at(-1)!.instructions.push(ins);
  }
  return { global, stages };
}

/** The JSON (exec) form of CMD, ENTRYPOINT or HEALTHCHECK's CMD, or undefined for the shell form. */
export function execForm(args: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) && parsed.every((p) => typeof p === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** A systemd unit file: each section's keys, each with every value it is given, in order. */
export function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let section: Map<string, string[]> | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++i]!.trim()}`;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      section = new Map();
      sections.set(header[1]!, section);
      continue;
    }
    const eq = line.indexOf('=');
    if (!section || eq <= 0) throw new Error(`unit line ${i + 1}: neither a [section] nor a key=value: ${line}`);
    const key = line.slice(0, eq).trim();
    section.set(key, [...(section.get(key) ?? []), line.slice(eq + 1).trim()]);
  }
  return sections;
}

export interface EnvLine {
  key: string;
  value: string;
  /** Set by the file (no leading #), or only shown. */
  active: boolean;
  /** The line just above, when it is a comment that is not itself a variable. */
  comment?: string;
  /** In the part of the file read by docker-compose.yml only. */
  composeOnly: boolean;
  line: number;
}

const VARIABLE = /^(#\s?)?([A-Z][A-Z0-9_]*)=(.*)$/;

/** `.env.example` as its variables, each with the comment above it. */
export function parseEnvExample(text: string): EnvLine[] {
  const lines = text.split('\n');
  const vars: EnvLine[] = [];
  let composeOnly = false;
  lines.forEach((line, i) => {
    if (/^#.*docker-compose\.yml only/.test(line)) composeOnly = true;
    const match = VARIABLE.exec(line);
    if (!match) return;
    const above = lines[i - 1] ?? '';
    const comment = above.startsWith('#') && !VARIABLE.test(above) ? above.replace(/^#\s?/, '') : undefined;
    vars.push({ key: match[2]!, value: match[3]!, active: !match[1], comment, composeOnly, line: i + 1 });
  });
  return vars;
}
