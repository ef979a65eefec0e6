import { describe, expect, it } from 'vitest';
import { extractReport, looksLikeSmallTalk } from '../../../../bot/tickets/extract.js';
import { reports, type ReportRow } from '../../../fixtures/reports.js';
import { sampleDirectory } from '../../../helpers/db.js';

const directory = sampleDirectory();

/** What the extractor read, in the vocabulary of the table. */
function actualOf(row: ReportRow): Required<ReportRow['expect']> {
  const sender = directory.person(row.from ?? 'zhang-li');
  if (!sender) throw new Error(`unknown sender ${row.from}`);
  const fields = extractReport(row.text, sender, directory);
  return {
    system: (fields.system?.id as Required<ReportRow['expect']>['system']) ?? null,
    priority: fields.priority,
    asset: fields.assetNumber ?? null,
    phone: fields.phone ?? null,
    department: fields.departmentId as string,
    building: fields.location?.building as string,
    floor: fields.location?.floor as string,
    room: fields.location?.room as string,
    smallTalk: looksLikeSmallTalk(row.text),
  };
}

describe('extractReport on real-world fault reports', () => {
  it('has a table of at least 100 reports', () => {
    expect(reports.length).toBeGreaterThanOrEqual(100);
  });

  it('names only senders of the organisation file', () => {
    const unknown = reports.filter((r) => r.from && !directory.person(r.from)).map((r) => r.from);
    expect(unknown).toEqual([]);
  });

  it.each(reports.map((row, i) => [`#${i + 1} ${row.text}`, row] as const))('%s', (_name, row) => {
    const actual = actualOf(row);
    // Every row that is not small talk is a report and must not be taken for small talk.
    const expected: ReportRow['expect'] = { smallTalk: false, ...row.expect };
    const compared = Object.fromEntries(Object.keys(expected).map((k) => [k, actual[k as keyof typeof actual]]));
    expect(compared).toEqual(expected);
  });
});
