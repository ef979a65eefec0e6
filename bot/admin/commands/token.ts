import type { Db } from '../../db/client.js';
import { localDateTime } from '../../time.js';
import { t, textFor } from '../../i18n/zh.js';
import { createToken, listTokens, revokeToken, TokenError, type TokenListing } from '../../tokens/store.js';
import { TOKEN_SCOPES } from '../../tokens/scope.js';
import { AdminError, defineAction, defineCommand, type AdminContext } from '../command.js';
import { withBotDatabase } from '../database.js';
import { commandLineActor } from '../organisation.js';

/**
 * `helpdesk token create|list|revoke`: the REST API's tokens (bot/tokens/store.ts). A token is
 * shown once, when it is made; the database keeps only its SHA-256, its name, scope and first
 * characters. Revoking one refuses it (401) from the next request on.
 */

/** `fn` on the bot's database; the store's reasons (for programs) told to the operator in Chinese. */
function withDatabase<T>(ctx: AdminContext, fn: (db: Db) => Promise<T>): Promise<T> {
  return withBotDatabase(ctx, fn).catch((err: unknown) => {
    throw err instanceof TokenError ? new AdminError(textFor('admin.token.error', err.code) ?? err.message) : err;
  });
}

const scopeText = (scope: string) => textFor('admin.token.scope', scope) ?? scope;
const zone = (ctx: AdminContext) => ctx.env.HOSPITAL_TZ || 'Asia/Shanghai';
const when = (ctx: AdminContext, at: Date | null) => (at ? localDateTime(at, zone(ctx)) : t('admin.token.never'));

function describe(ctx: AdminContext, token: TokenListing): string {
  return [
    `#${token.id} ${token.prefix}…`,
    token.name,
    scopeText(token.scope),
    t('admin.token.created', { at: when(ctx, token.createdAt), by: token.createdBy ?? '—' }),
    t('admin.token.lastUsed', { at: when(ctx, token.lastUsedAt) }),
    ...(token.revokedAt ? [t('admin.token.revokedAt', { at: when(ctx, token.revokedAt) })] : []),
  ].join(' · ');
}

const create = defineAction({
  usage: 'token create <name> --scope read|export|admin|alerts',
  summary: t('admin.token.create.summary'),
  details: t('admin.token.create.details'),
  positionals: [1, 1],
  options: { scope: { type: 'string', value: TOKEN_SCOPES.join('|'), help: t('admin.token.create.scope') } },
  run: (ctx, [name], options) =>
    withDatabase(ctx, async (db) => {
      if (!options.scope) throw new AdminError(t('admin.token.create.noScope'));
      const made = await createToken(db, { name: name!, scope: options.scope, createdBy: commandLineActor(ctx), now: ctx.now() });
      ctx.out(t('admin.token.create.done', { name: made.name, scope: scopeText(made.scope) }));
      ctx.out(made.token);
      ctx.err(t('admin.token.create.once'));
    }),
});

const list = defineAction({
  usage: 'token list [--all]',
  summary: t('admin.token.list.summary'),
  options: { all: { type: 'boolean', help: t('admin.token.list.all') } },
  run: (ctx, _args, options) =>
    withDatabase(ctx, async (db) => {
      const tokens = await listTokens(db, { includeRevoked: !!options.all });
      if (tokens.length === 0) return void ctx.out(t('admin.token.list.none'));
      for (const token of tokens) ctx.out(describe(ctx, token));
    }),
});

const revoke = defineAction({
  usage: 'token revoke <id|hd_…|name>',
  summary: t('admin.token.revoke.summary'),
  positionals: [1, 1],
  run: (ctx, [which]) =>
    withDatabase(ctx, async (db) => {
      const revoked = await revokeToken(db, which!, { now: ctx.now() });
      ctx.out(t('admin.token.revoke.done', { token: `${revoked.prefix}…`, name: revoked.name }));
    }),
});

export default defineCommand({
  order: 90,
  usage: 'token create|list|revoke',
  summary: t('admin.token.summary'),
  details: t('admin.token.details'),
  subcommands: { create, list, revoke },
});
