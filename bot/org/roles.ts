/**
 * The roles a person of the organisation file may hold. `asset_office`: the asset management office
 * (资产管理, e.g. 设备科), which disposes of scrapped assets.
 */
export const ROLES = [
  'reporter',
  'info_officer',
  'dept_head',
  'it_engineer',
  'it_group_leader',
  'it_director',
  'vp_it',
  'leadership',
  'hr',
  'asset_office',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

/** The kinds of escalation step (besides a person id). */
export const ESCALATION_STEPS = ['duty', 'group_leader', 'it_director'] as const;
