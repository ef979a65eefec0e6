import type { z } from 'zod';
import type { Context } from './context.js';
import type { Services } from './services.js';

/** A chat command: `帮助`, `认领 IT-…`. The first word picks the command; the rest is its argument text. */
export interface CommandDef<A = unknown> {
  name: string;
  /** Words that start the command, e.g. ['帮助', '/help']. Matched case-insensitively. */
  aliases: string[];
  usage: string;
  /** Turns the text after the command word into arguments; validated by `args`. */
  parse?: (rest: string) => unknown;
  /** Whether text run straight after an alias, without a space, is this command's argument (`绑定报修群`). */
  glued?: (rest: string) => boolean;
  /**
   * Whether the words after an alias are this command's at all. When they are not, the text is no
   * command but free text: a report where reports belong (`看板 黑屏了`: a ward's display board is
   * down). Without it every text after an alias is the command's, refused with its usage when it
   * does not parse.
   */
  takes?: (rest: string) => boolean;
  args: z.ZodType<A>;
  run(ctx: Context, args: A, services: Services): Promise<void>;
}

/** Nothing after the command word but spaces or punctuation (`看板？`): what a command without arguments takes. */
export const nothingSaid = (rest: string): boolean => /^[\s\p{P}]*$/u.test(rest);

/** A card button: its action name and the zod schema of the value it carries. */
export interface ActionDef<V = unknown> {
  name: string;
  value: z.ZodType<V>;
  run(ctx: Context, value: V, services: Services): Promise<void>;
}

export function defineCommand<A>(def: CommandDef<A>): CommandDef<A> {
  return def;
}

export function defineAction<V>(def: ActionDef<V>): ActionDef<V> {
  return def;
}

/** The handler for free text that is no command: in the intake group, a fault report. */
export interface FallbackDef {
  name: string;
  run(ctx: Context, text: string, services: Services): Promise<void>;
}

export interface Registry {
  // Each definition has its own argument type; the router parses with the definition's schema.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  commands: CommandDef<any>[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  actions: ActionDef<any>[];
  fallback: FallbackDef;
}
