import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { holdsStorageMedia } from '../../../../bot/assets/lifecycle.js';
import { Directory } from '../../../../bot/org/directory.js';
import { parseOrg } from '../../../../bot/org/load.js';
import { sampleDirectory, sampleOrgFile } from '../../../helpers/db.js';

describe('which assets hold storage media', () => {
  const directory = sampleDirectory();

  it('reads the label’s prefix and the register’s kind by the organisation file', () => {
    expect(holdsStorageMedia({ number: 'PC-0231', kind: null }, directory)).toBe(true);
    expect(holdsStorageMedia({ number: 'PDA-0012', kind: '移动护理终端' }, directory)).toBe(true);
    // A label the list does not name, but a kind that says it: an all-in-one, a server.
    expect(holdsStorageMedia({ number: 'MT-0101', kind: '一体机' }, directory)).toBe(true);
    expect(holdsStorageMedia({ number: 'SV-0003', kind: '机架服务器' }, directory)).toBe(true);
    expect(holdsStorageMedia({ number: 'PR-1002', kind: '激光打印机' }, directory)).toBe(false);
    expect(holdsStorageMedia({ number: 'SC-0007', kind: null }, directory)).toBe(false);
  });

  it('knows computers by their kind where the file says nothing, and takes the file’s own lists instead', () => {
    const sample = readFileSync(sampleOrgFile, 'utf8');
    const start = sample.indexOf('  storageMedia:');
    const end = sample.indexOf('\n\n', start);
    const silent = new Directory(parseOrg(sample.slice(0, start) + sample.slice(end + 1)));
    expect(holdsStorageMedia({ number: 'PC-0231', kind: null }, silent)).toBe(false);
    expect(holdsStorageMedia({ number: 'PC-0231', kind: '台式机' }, silent)).toBe(true);
    const own = new Directory({ ...directory.org, assets: { ...directory.org.assets, storageMedia: { prefixes: [], kinds: ['笔记本'] } } });
    expect(holdsStorageMedia({ number: 'PC-0231', kind: '台式机' }, own)).toBe(false);
    expect(holdsStorageMedia({ number: 'NB-0020', kind: '笔记本电脑' }, own)).toBe(true);
  });
});
