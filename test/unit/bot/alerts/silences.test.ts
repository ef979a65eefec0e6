import { describe, expect, it } from 'vitest';
import { systemsNamed } from '../../../../bot/alerts/silences.js';
import { directoryWithMonitoring } from '../../../helpers/alerts.js';
import { sampleDirectory } from '../../../helpers/db.js';

describe('the systems a change names', () => {
  const directory = sampleDirectory();

  it('finds systems by id, name and keyword, however the list is written', () => {
    expect(systemsNamed('HIS、LIS', directory)).toEqual(['his', 'lis']);
    expect(systemsNamed('HIS数据库升级；电子病历', directory)).toEqual(['his', 'emr']);
    expect(systemsNamed('pacs 存储扩容', directory)).toEqual(['pacs']);
    expect(systemsNamed('ＨＩＳ', directory)).toEqual(['his']);
  });

  it('takes the longest phrase where two overlap, and Latin words only whole', () => {
    // 医保结算 is the insurance system, not HIS's 结算.
    expect(systemsNamed('医保结算接口改造', directory)).toEqual(['insurance']);
    // OA is not in Oracle; HIS is not in THIS.
    expect(systemsNamed('Oracle 补丁', directory)).toEqual([]);
    expect(systemsNamed('THIS patch', directory)).toEqual([]);
    expect(systemsNamed('', directory)).toEqual([]);
  });

  it('knows the monitoring file’s host names', () => {
    const monitored = directoryWithMonitoring('  systems:\n    his-db-01: his\n    core-switch-01: network\n');
    expect(systemsNamed('his-db-01 迁移、core-switch-01 固件升级', monitored)).toEqual(['his', 'network']);
  });
});
