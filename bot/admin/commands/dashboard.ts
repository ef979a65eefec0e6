import { AuditLog } from '../../audit.js';
import { revokeLinks } from '../../dashboard/link.js';
import { transact } from '../../db/transact.js';
import { t } from '../../i18n/zh.js';
import { AdminError, defineAction, defineCommand, UsageError } from '../command.js';
import { withBotDatabase } from '../database.js';
import { commandLineActor, loadOrganisation } from '../organisation.js';

/**
 * `helpdesk dashboard revoke <person|--all>`: ends the dashboard links `看板` sent (and the sign-ins
 * they made), of one person or of everybody, from the next request on, on every instance. The
 * person is named by id or name as the organisation file has them; they may ask for a new link.
 */

const revoke = defineAction({
  usage: 'dashboard revoke <person|--all>',
  summary: t('admin.dashboard.revoke.summary'),
  positionals: [0, 1],
  options: { all: { type: 'boolean', help: t('admin.dashboard.revoke.all') } },
  async run(ctx, [who], options) {
    if (!!who === !!options.all) throw new UsageError(t('admin.dashboard.revoke.either'), 'dashboard revoke <person|--all>');
    let person: { id: string; name: string } | undefined;
    if (who) {
      const { directory } = loadOrganisation(ctx);
      person = directory.person(who) ?? directory.org.people.find((p) => p.name === who);
      if (!person) throw new AdminError(t('admin.dashboard.revoke.unknown', { name: who }));
    }
    const generation = await withBotDatabase(ctx, (db) =>
      transact(db, async (tx) => {
        const next = await revokeLinks(tx, person?.id);
        await new AuditLog(tx, () => ctx.now()).record({
          actorId: commandLineActor(ctx),
          action: 'dashboard.revoke',
          entityType: 'dashboard',
          entityId: person?.id ?? '*',
          after: { generation: next },
        });
        return next;
      }),
    );
    ctx.out(
      person
        ? t('admin.dashboard.revoke.person', { person: `${person.name}（${person.id}）`, generation })
        : t('admin.dashboard.revoke.everyone', { generation }),
    );
  },
});

export default defineCommand({
  order: 95,
  usage: 'dashboard revoke',
  summary: t('admin.dashboard.summary'),
  details: t('admin.dashboard.details'),
  subcommands: { revoke },
});
