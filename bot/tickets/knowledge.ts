import type { Tx } from '../db/client.js';
import type { Directory } from '../org/directory.js';
import { segmenterOf } from './extract.js';
import { Segmenter } from './segment.js';

/** The SOP article whose keywords match the report best (the most keyword words), if any. */
export async function matchKnowledge(tx: Tx, directory: Directory, text: string): Promise<{ title: string; steps: string } | undefined> {
  const articles = await tx.knowledgeArticle.findMany({ orderBy: { createdAt: 'asc' } });
  if (articles.length === 0) return undefined;
  const words = segmenterOf(directory).words(text.normalize('NFKC'));
  let best: { title: string; steps: string; score: number } | undefined;
  for (const a of articles) {
    const keywords = Array.isArray(a.keywords) ? (a.keywords as string[]) : [];
    const score = keywords.filter((k) => Segmenter.has(words, k)).length;
    if (score > 0 && (!best || score > best.score)) best = { title: a.title, steps: a.steps, score };
  }
  return best && { title: best.title, steps: best.steps };
}
