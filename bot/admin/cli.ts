import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { t } from '../i18n/zh.js';
import { isGroup, UsageError, type Action, type AdminCommand, type AdminContext } from './command.js';

/** Where the commands live: one file per command, named as it (sources under tsx, compiled .js under dist/). */
const COMMANDS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'commands');

/** The command files by command name. */
function commandFiles(dir = COMMANDS_DIR): Map<string, string> {
  const files = new Map<string, string>();
  for (const file of readdirSync(dir).sort()) {
    const name = /^([a-z][a-z0-9-]*)\.(?:ts|js)$/.exec(file)?.[1];
    if (name && !file.endsWith('.d.ts') && !files.has(name)) files.set(name, path.join(dir, file));
  }
  return files;
}

async function loadCommand(file: string): Promise<AdminCommand> {
  const command = ((await import(pathToFileURL(file).href)) as { default?: AdminCommand }).default;
  if (!command || typeof command.usage !== 'string' || (!('run' in command) && !('subcommands' in command))) {
    throw new Error(`${path.basename(file)} does not export an admin command (export default defineCommand({…}))`);
  }
  return command;
}

/** Runs `helpdesk <argv…>`; resolves with the exit code: 0 done, 1 failed (one line says why), 2 called the wrong way. */
export async function runAdmin(argv: readonly string[], ctx: AdminContext): Promise<number> {
  try {
    return await dispatch([...argv], ctx);
  } catch (err) {
    if (err instanceof UsageError) {
      ctx.err(t('admin.usage.error', { message: err.message }));
      if (err.usage) ctx.err(t('admin.usage.line', { usage: err.usage }));
      ctx.err(t('admin.usage.hint'));
      return 2;
    }
    ctx.err(t('admin.failed', { reason: oneLine(err) }));
    return 1;
  }
}

/** An error as one line: its message's lines joined, cut short when long. */
function oneLine(err: unknown): string {
  const text = (err instanceof Error ? err.message : String(err))
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join(' ');
  return text.length > 400 ? `${text.slice(0, 400)}…` : text || String(err);
}

const isHelp = (arg: string | undefined) => arg === '--help' || arg === '-h';

async function dispatch(argv: string[], ctx: AdminContext): Promise<number> {
  const files = commandFiles();
  const [first, ...rest] = argv;
  if (first === undefined) {
    for (const line of await overview(files)) ctx.err(line);
    return 2;
  }
  if (isHelp(first)) {
    for (const line of await overview(files)) ctx.out(line);
    return 0;
  }
  // `helpdesk help` and `helpdesk help <command> [subcommand]` are the same as `--help`.
  if (first === 'help') return dispatch(rest.length > 0 ? [...rest, '--help'] : ['--help'], ctx);
  if (first.startsWith('-')) throw new UsageError(t('admin.usage.unknownOption', { option: first }), t('admin.usage.tool'));
  const file = files.get(first);
  if (!file) {
    const near = nearest(first, [...files.keys()]);
    throw new UsageError(near ? t('admin.usage.unknownCommandNear', { command: first, near }) : t('admin.usage.unknownCommand', { command: first }));
  }
  const command = await loadCommand(file);
  if (!isGroup(command)) return runAction(command, rest, ctx);
  const [sub, ...subRest] = rest;
  if (sub === undefined || isHelp(sub)) {
    for (const line of groupHelp(command)) (sub ? ctx.out : ctx.err)(line);
    return sub ? 0 : 2;
  }
  const action = Object.hasOwn(command.subcommands, sub) ? command.subcommands[sub] : undefined;
  if (!action) {
    const near = nearest(sub, Object.keys(command.subcommands));
    const what = `${first} ${sub}`;
    throw new UsageError(
      near ? t('admin.usage.unknownCommandNear', { command: what, near: `${first} ${near}` }) : t('admin.usage.unknownCommand', { command: what }),
      command.usage,
    );
  }
  return runAction(action, subRest, ctx);
}

async function runAction(action: Action, args: string[], ctx: AdminContext): Promise<number> {
  const specs = action.options ?? {};
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args,
      options: { ...Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, { type: spec.type }])), help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UsageError(parseProblem(err), action.usage);
  }
  if (parsed.values.help) {
    for (const line of actionHelp(action)) ctx.out(line);
    return 0;
  }
  const [min, max] = action.positionals ?? [0, 0];
  if (parsed.positionals.length < min) throw new UsageError(t('admin.usage.missing'), action.usage);
  if (parsed.positionals.length > max) throw new UsageError(t('admin.usage.extra', { arg: parsed.positionals[max]! }), action.usage);
  return (await action.run(ctx, parsed.positionals, parsed.values as never)) ?? 0;
}

/** What node's argument parser refused, in the operator's words. */
function parseProblem(err: unknown): string {
  const { code, message } = err as { code?: string; message?: string };
  const option = /'(-[^' ]+)/.exec(message ?? '')?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return t('admin.usage.unknownOption', { option });
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
    return /does not take/.test(message ?? '') ? t('admin.usage.noValue', { option }) : t('admin.usage.needsValue', { option });
  return message ?? String(err);
}

/** `helpdesk --help`: every command with what it does. */
async function overview(files: Map<string, string>): Promise<string[]> {
  const commands = await Promise.all([...files.values()].map(loadCommand));
  commands.sort((a, b) => a.order - b.order);
  const width = Math.max(...commands.map((c) => c.usage.length));
  return [
    t('admin.help.title'),
    t('admin.usage.line', { usage: t('admin.usage.tool') }),
    t('admin.help.npm'),
    '',
    t('admin.help.commands'),
    ...commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    ...t('admin.help.footer').split('\n'),
  ];
}

function groupHelp(command: Extract<AdminCommand, { subcommands: unknown }>): string[] {
  const actions = Object.values(command.subcommands);
  const width = Math.max(...actions.map((a) => a.usage.length));
  return [
    t('admin.usage.line', { usage: command.usage }),
    command.summary,
    ...(command.details ? ['', ...command.details.split('\n')] : []),
    '',
    t('admin.help.subcommands'),
    ...actions.map((a) => `  ${a.usage.padEnd(width)}  ${a.summary}`),
    '',
    t('admin.help.subcommandHint', { command: command.usage.split(' ')[0]! }),
  ];
}

function actionHelp(action: Action): string[] {
  const options = [
    ...Object.entries(action.options ?? {}).map(([name, spec]) => [`--${name}${spec.value ? ` ${spec.value}` : ''}`, spec.help] as const),
    ['-h, --help', t('admin.help.helpOption')] as const,
  ];
  const width = Math.max(...options.map(([flag]) => flag.length));
  return [
    t('admin.usage.line', { usage: action.usage }),
    action.summary,
    ...(action.details ? ['', ...action.details.split('\n')] : []),
    '',
    t('admin.help.options'),
    ...options.map(([flag, help]) => `  ${flag.padEnd(width)}  ${help}`),
  ];
}

/** The name closest to a mistyped one (at most two letters off), to suggest it. */
function nearest(word: string, names: string[]): string | undefined {
  const distance = (a: string, b: string) => {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let diagonal = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const above = row[j]!;
        row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
        diagonal = above;
      }
    }
    return row[b.length]!;
  };
  const scored = names.map((name) => ({ name, d: distance(word, name) })).sort((a, b) => a.d - b.d);
  return scored[0] && scored[0].d <= 2 ? scored[0].name : undefined;
}
