import type { AuditLog } from '../audit.js';
import { sqlOf, type Tx } from '../db/client.js';
import { Query } from '../db/sql.js';
import { BotError } from '../errors.js';
import { t } from '../i18n/zh.js';
import type { Directory, Person } from '../org/directory.js';
import { segmenterOf } from './extract.js';
import { Segmenter } from './segment.js';

const ARTICLES = new Query('SELECT "title", "keywords", "steps" FROM "KnowledgeArticle" ORDER BY "createdAt"', { json: ['keywords'] });

/** The SOP article whose keywords match the report best (the most keyword words), if any. */
export async function matchKnowledge(tx: Tx, directory: Directory, text: string): Promise<{ title: string; steps: string } | undefined> {
  const articles = await sqlOf(tx).rows<{ title: string; keywords: unknown; steps: string }>(ARTICLES, []);
  if (articles.length === 0) return undefined;
  const keywordsOf = (a: (typeof articles)[number]) => (Array.isArray(a.keywords) ? (a.keywords as string[]) : []);
  const segmenter = segmenterOf(directory);
  // Articles added in chat since the start bring words the segmenter's dictionary was not chosen for.
  segmenter.lookFor(articles.flatMap(keywordsOf));
  const words = segmenter.words(text.normalize('NFKC'));
  let best: { title: string; steps: string; score: number } | undefined;
  for (const a of articles) {
    const keywords = keywordsOf(a);
    const score = keywords.filter((k) => Segmenter.has(words, k)).length;
    if (score > 0 && (!best || score > best.score)) best = { title: a.title, steps: a.steps, score };
  }
  return best && { title: best.title, steps: best.steps };
}

export interface KnowledgeArticle {
  title: string;
  keywords: string[];
  steps: string;
}

/** The SOP articles offered with matching reports: the organisation file's, and those admins add in chat. */
export class KnowledgeBase {
  constructor(private readonly d: { tx: Tx; directory: Directory; audit: AuditLog }) {}

  /** An admin adds an article; reports its keywords match are offered it from now on. */
  async add(actor: Person, article: KnowledgeArticle): Promise<KnowledgeArticle & { id: string }> {
    if (!this.d.directory.hasRole(actor, 'admin')) throw new BotError('not_admin', { what: t('knowledge.what.add') });
    const { title, keywords, steps } = article;
    const id = `kb-${Date.now().toString(36)}`;
    await this.d.tx.knowledgeArticle.create({ data: { id, title, keywords, steps, source: 'admin' } });
    await this.d.audit.record({ actorId: actor.id, action: 'knowledge.add', entityType: 'knowledge', entityId: id, after: { title, keywords } });
    return { id, title, keywords, steps };
  }
}
