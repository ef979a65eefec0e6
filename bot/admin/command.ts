/**
 * The shape of an admin command (`helpdesk <name> …`): each is one file under bot/admin/commands/,
 * named as the command, whose default export is `defineCommand({…})`. A command either runs itself
 * or has subcommands (`outbox list|retry|drop`), each with its own options and help.
 */

/** An option of a command: a flag (`--dead`) or one taking a value (`--chat ID`). */
export interface OptionSpec {
  type: 'boolean' | 'string';
  /** The value's placeholder in help (`ID`, `FILE`). */
  value?: string;
  /** What it does, in Chinese. */
  help: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

/** The parsed options of a command: flags as booleans, the others as the string given (or undefined). */
export type OptionValues<O extends OptionSpecs> = { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string };

/** Where a command runs: its environment (DATABASE_URL, ORG_FILE …), working directory and output. */
export interface AdminContext {
  env: NodeJS.ProcessEnv;
  /** Relative paths (files, SQLite databases) are taken from here, as the bot takes them. */
  cwd: string;
  /** A line of the command's output (stdout). */
  out(line: string): void;
  /** A line of diagnostics (stderr): problems, warnings. */
  err(line: string): void;
  now(): Date;
}

/** One runnable command or subcommand. */
export interface Action<O extends OptionSpecs = OptionSpecs> {
  /** How it is called, after `helpdesk `: `outbox list [--dead] [--chat ID]`. */
  usage: string;
  /** One line, in Chinese, for the command list. */
  summary: string;
  /** More lines for `--help`, in Chinese. */
  details?: string;
  options?: O;
  /** How many positional arguments it takes: [at least, at most]. */
  positionals?: [min: number, max: number];
  /** Runs it; resolves with the exit code (0 when nothing is returned). */
  run(ctx: AdminContext, args: string[], options: OptionValues<O>): Promise<number | void>;
}

export interface SingleCommand<O extends OptionSpecs = OptionSpecs> extends Action<O> {
  /** Where it stands in the list of commands. */
  order: number;
}

export interface GroupCommand {
  order: number;
  usage: string;
  summary: string;
  details?: string;
  subcommands: Record<string, Action>;
}

export type AdminCommand = SingleCommand | GroupCommand;

export function defineCommand<O extends OptionSpecs>(command: SingleCommand<O>): AdminCommand;
export function defineCommand(command: GroupCommand): AdminCommand;
export function defineCommand(command: AdminCommand): AdminCommand {
  return command;
}

/** A subcommand of a group command, its options typed. */
export function defineAction<O extends OptionSpecs>(action: Action<O>): Action {
  return action as unknown as Action;
}

export const isGroup = (command: AdminCommand): command is GroupCommand => 'subcommands' in command;

/** A failure with a reason for the operator: printed as one line, exit code 1. */
export class AdminError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AdminError';
  }
}

/** A command called the wrong way: printed with its usage, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The usage line to show, when known. */
    readonly usage?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
