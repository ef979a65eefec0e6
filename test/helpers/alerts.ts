import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Alert } from '../../generated/prisma/client.js';
import type { AlertIncidents, AlertTransitions } from '../../bot/alerts/types.js';
import type { Tx } from '../../bot/db/client.js';
import { Directory } from '../../bot/org/directory.js';
import { parseOrg } from '../../bot/org/load.js';
import { createToken } from '../../bot/tokens/store.js';
import type { TestBot } from './bot.js';
import { sampleOrgFile } from './db.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/alerts');

/** A payload as its sender posts it (the file's bytes). */
export const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');
/** A payload as JSON, to change a field before posting it. */
export const fixtureJson = (name: string): Record<string, any> => JSON.parse(fixture(name)) as Record<string, any>;

/** The sample organisation with a `monitoring:` section (YAML, at the top level). */
export function directoryWithMonitoring(monitoring: string): Directory {
  return new Directory(parseOrg(`${readFileSync(sampleOrgFile, 'utf8')}\nmonitoring:\n${monitoring}`, 'organisation.yaml'));
}

/** A stored token with the `alerts` scope (or another). */
export async function alertsToken(t: TestBot, scope = 'alerts', name = `monitoring-${scope}`): Promise<string> {
  return (await createToken(t.bot.db, { name, scope })).token;
}

export async function postAlert(t: TestBot, source: string, body: string | object, token: string | undefined, contentType = 'application/json') {
  return t.bot.app.inject({
    method: 'POST',
    url: `/api/alerts/${source}`,
    headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** What the incident side was handed: the transitions, and the rows the same transaction saw at that moment. */
export interface Recorded {
  transitions: AlertTransitions;
  tx: Tx;
  /** Every alert row, read through the transaction it was given. */
  rowsInTx: Alert[];
}

/** Records each call; `fail` makes the next call throw (the delivery must then store nothing). */
export class RecordingIncidents implements AlertIncidents {
  readonly calls: Recorded[] = [];
  fail = false;

  async apply(tx: Tx, transitions: AlertTransitions): Promise<void> {
    this.calls.push({ transitions, tx, rowsInTx: await tx.alert.findMany({ orderBy: { id: 'asc' } }) });
    if (this.fail) {
      this.fail = false;
      throw new Error('the incident side failed');
    }
  }

  /** The ids passed as `kind` over every call. */
  ids(kind: keyof AlertTransitions): number[] {
    return this.calls.flatMap((c) => c.transitions[kind].map((a) => a.id));
  }
}
