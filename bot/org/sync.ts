import type { Db } from '../db/client.js';
import { rewriteFileBindings } from '../bindings/sync.js';
import { declaredIdentities, type Directory } from './directory.js';
import { transact } from '../db/transact.js';

/**
 * Mirrors the organisation file into the database so tickets and audit rows can reference people,
 * departments and chats. People who left the file are kept (history references them) but deactivated;
 * people remembered from a platform's directory are left as they are, except for ids the file now declares.
 */
export async function syncOrganisation(db: Db, directory: Directory): Promise<void> {
  const { org } = directory;
  await transact(db, async (tx) => {
    for (const d of org.departments) {
      const data = { name: d.name, headId: d.head ?? null };
      await tx.department.upsert({ where: { id: d.id }, create: { id: d.id, ...data }, update: data });
    }
    for (const g of org.itGroups) {
      const data = { name: g.name, leaderId: g.leader ?? null };
      await tx.itGroup.upsert({ where: { id: g.id }, create: { id: g.id, ...data }, update: data });
    }

    const ids = org.people.map((p) => p.id);
    // People remembered from a platform's directory are not the file's: they stay as the directory left them.
    await tx.person.updateMany({ where: { id: { notIn: ids }, source: 'org' }, data: { active: false } });
    for (const p of org.people) {
      const data = {
        name: p.name,
        callName: directory.callName(p),
        departmentId: p.department,
        itGroupId: p.itGroup ?? null,
        title: p.title ?? null,
        phone: p.phone ?? null,
        active: true,
        source: 'org',
      };
      await tx.person.upsert({ where: { id: p.id }, create: { id: p.id, ...data }, update: data });
    }
    await tx.personRole.deleteMany({ where: { personId: { in: ids } } });
    await tx.personRole.createMany({ data: org.people.flatMap((p) => p.roles.map((role) => ({ personId: p.id, role }))) });
    await tx.platformIdentity.deleteMany({ where: { personId: { in: ids } } });
    const identities = org.people.flatMap((p) => declaredIdentities(p).map((i) => ({ ...i, personId: p.id })));
    // The file wins: an id it declares is no longer a remembered person's (they keep their history).
    for (const platform of new Set(identities.map((i) => i.platform))) {
      const declared = identities.filter((i) => i.platform === platform).map((i) => i.platformUserId);
      await tx.platformIdentity.deleteMany({ where: { platform, platformUserId: { in: declared } } });
    }
    await tx.platformIdentity.createMany({ data: identities });

    // SOP articles from the file; those added by an admin stay.
    await tx.knowledgeArticle.deleteMany({ where: { source: 'org', id: { notIn: org.knowledge.map((k) => k.id) } } });
    for (const k of org.knowledge) {
      const data = { title: k.title, keywords: k.keywords, steps: k.steps, source: 'org' };
      await tx.knowledgeArticle.upsert({ where: { id: k.id }, create: { id: k.id, ...data }, update: data });
    }

    for (const c of org.chats) {
      const data = { name: c.name, purpose: c.purpose };
      await tx.chat.upsert({ where: { id: c.id }, create: { id: c.id, ...data }, update: data });
    }
    // The file's bindings are rewritten; those an admin made from chat stay, unless the file now overrides them.
    await rewriteFileBindings(tx, directory);
  });
}
