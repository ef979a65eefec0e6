import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Platform } from '../chat/model.js';
import type { ChatSender } from '../chat/ports.js';
import type { Attachment } from '../../generated/prisma/client.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';

/** Screenshots and photos people send are kept up to this size. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
const MAX_ATTEMPTS = 5;

const EXTENSION: Record<string, string> = { 'image/png': '.png', 'image/jpeg': '.jpg', 'image/gif': '.gif', 'image/webp': '.webp' };

export interface AttachmentFetcherOptions {
  db: Db;
  adapters: ReadonlyMap<Platform, Pick<ChatSender, 'fetchAttachment'>>;
  clock: Clock;
  log: FastifyBaseLogger;
  /** Files go to <dataDir>/attachments/<ticket number>/. */
  dataDir: string;
}

/**
 * Downloads the files of reports after their events were acknowledged (slow work never runs
 * inline), keeps them on disk under data/, and records each file's row. Retries with backoff.
 */
export class AttachmentFetcher {
  private running: Promise<number> | undefined;

  constructor(private readonly opts: AttachmentFetcherOptions) {}

  wake(): void {
    void this.drain().catch((err) => this.opts.log.error({ err }, 'attachment fetch failed'));
  }

  /** Resolves when no fetch is running. */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  drain(): Promise<number> {
    this.running ??= this.fetchDue().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async fetchDue(): Promise<number> {
    const { db, clock } = this.opts;
    const due = await db.attachment.findMany({
      where: { status: 'pending', nextAttemptAt: { lte: clock.now() } },
      include: { ticket: { select: { number: true } } },
      orderBy: { id: 'asc' },
      take: 20,
    });
    let stored = 0;
    for (const row of due) stored += (await this.fetchOne(row)) ? 1 : 0;
    return stored;
  }

  private async fetchOne(row: Attachment & { ticket: { number: string } | null }): Promise<boolean> {
    const { db, clock, log } = this.opts;
    const adapter = this.opts.adapters.get(row.platform as Platform);
    try {
      if (!adapter?.fetchAttachment) throw new Error(`${row.platform} cannot fetch attachments`);
      const ref = { platform: row.platform as Platform, chatId: row.chatId, messageId: row.messageId };
      const { data, mime } = await adapter.fetchAttachment(
        ref,
        { kind: row.kind as 'image' | 'file', key: row.key, name: row.name ?? undefined },
        MAX_ATTACHMENT_BYTES,
      );
      const dir = path.join(this.opts.dataDir, 'attachments', row.ticket?.number ?? 'unfiled');
      await mkdir(dir, { recursive: true });
      const file = path.join(dir, `${row.id}${EXTENSION[mime ?? ''] ?? (row.kind === 'image' ? '.img' : '.bin')}`);
      await writeFile(file, data);
      await db.attachment.update({ where: { id: row.id }, data: { status: 'stored', path: file, size: data.length, mime: mime ?? null, lastError: null } });
      return true;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const attempts = row.attempts + 1;
      const tooLarge = /larger than/.test(message);
      const status = tooLarge ? 'too_large' : attempts >= MAX_ATTEMPTS ? 'failed' : 'pending';
      log.warn({ attachmentId: row.id, attempts, status, err: message }, 'attachment not fetched');
      await db.attachment.update({
        where: { id: row.id },
        data: { status, attempts, lastError: message.slice(0, 500), nextAttemptAt: new Date(clock.now().getTime() + 2 ** attempts * 1000) },
      });
      return false;
    }
  }
}
