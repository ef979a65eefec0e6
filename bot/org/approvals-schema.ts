import { z } from 'zod';
import { Id } from './ids.js';

/** The approvals section of the organisation file: routing table, chains, change windows. */

const Name = z.string().trim().min(1);
const Rule = z.enum(['any', 'all', 'quorum']);

export const APPROVAL_TYPES = [
  'permission',
  'revocation',
  'change',
  'data_export',
  'asset_requisition',
  'asset_transfer',
  'asset_scrap',
  'leave',
  'duty_swap',
] as const;
export type ApprovalType = (typeof APPROVAL_TYPES)[number];

/**
 * Who decides a step: the requester's department head, the head of the department of the person
 * the request is about, the owner of the system asked for, the colleague named in the form, a
 * person, everyone with a role, or a list of people (any one of them, all, or a quorum). For a
 * request about an asset of the register: the head of the department using it
 * (asset_department_head), the head of the department it is to be transferred to
 * (receiving_department_head), the engineers of the IT group that looks after its kind of device
 * (asset_engineers: `assets.kinds` → the system's IT group; every IT engineer when none does).
 */
export const Approver = z.union([
  z.enum(['requester_head', 'subject_head', 'system_owner', 'colleague', 'asset_department_head', 'receiving_department_head', 'asset_engineers']),
  z.object({ person: Id }).strict(),
  z.object({ role: z.string().min(1), rule: Rule.default('any'), quorum: z.number().int().min(1).optional() }).strict(),
  z.object({ people: z.array(Id).min(1), rule: Rule.default('any'), quorum: z.number().int().min(1).optional() }).strict(),
]);
export type Approver = z.infer<typeof Approver>;

export const ChainStep = z
  .object({
    name: Name,
    /** approve: decide; execute: an IT engineer carries it out and marks it done; confirm: acknowledge. */
    kind: z.enum(['approve', 'execute', 'confirm']).default('approve'),
    /** Execute steps default to any IT engineer. */
    approver: Approver.optional(),
    /** Runs at the same time as the step before it. */
    parallel: z.boolean().default(false),
  })
  .strict();
export type ChainStep = z.infer<typeof ChainStep>;

const Chain = z.array(ChainStep).min(1);

const step = (name: string, approver?: Approver, kind: ChainStep['kind'] = 'approve', parallel = false): ChainStep => ({ name, approver, kind, parallel });

export const DEFAULT_CHAINS = {
  permission: [step('科室负责人审批', 'requester_head'), step('系统负责人审批', 'system_owner'), step('信息科开通', undefined, 'execute')],
  revocation: [
    step('科室负责人签字', 'subject_head'),
    step('人事科签字', { role: 'hr', rule: 'any' }),
    step('信息科停用账号', undefined, 'execute'),
    step('人事科确认办结', { role: 'hr', rule: 'any' }, 'confirm'),
  ],
  change_normal: [step('信息科主任审批', { role: 'it_director', rule: 'any' })],
  change_major: [step('信息化领导小组审批', { role: 'leadership', rule: 'quorum', quorum: 2 })],
  /** Added to an emergency change's chain when it does not already include it. */
  change_emergency: [step('信息科主任审批（紧急变更）', { role: 'it_director', rule: 'any' })],
  data_export: [
    step('科室负责人审批', 'requester_head'),
    step('信息科主任审批', { role: 'it_director', rule: 'any' }),
    step('信息科导出交付', undefined, 'execute'),
  ],
  asset_requisition: [step('科室负责人审批', 'requester_head'), step('信息科发放', undefined, 'execute')],
  asset_transfer: [
    step('调出科室负责人审批', 'asset_department_head'),
    step('调入科室负责人审批', 'receiving_department_head'),
    step('信息科登记调拨', undefined, 'execute'),
  ],
  asset_scrap: [
    step('使用科室负责人审批', 'asset_department_head'),
    step('信息科技术鉴定', 'asset_engineers'),
    step('资产管理部门处置', { role: 'asset_office', rule: 'any' }),
  ],
  /** Added to a scrapping request's chain when the asset holds storage media. */
  asset_scrap_media: [step('存储介质销毁确认', 'asset_engineers', 'confirm')],
  leave: [step('直接上级审批', 'requester_head')],
  duty_swap: [step('同事同意换班', 'colleague'), step('信息科主任审批', { role: 'it_director', rule: 'any' })],
} satisfies Record<string, ChainStep[]>;

const Owner = z.union([z.object({ head: Id }).strict(), z.object({ role: z.string().min(1) }).strict(), z.object({ person: Id }).strict()]);

/** When changes may be made: off-peak nights on working days, weekends and holidays. */
export const ChangeWindow = z
  .object({
    days: z.enum(['workday', 'offday', 'any']),
    start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
    /** May be earlier than start: the window runs past midnight. `24:00` is the end of the day. */
    end: z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/),
  })
  .strict();
export type ChangeWindow = z.infer<typeof ChangeWindow>;

export function approvalsSchema<D extends z.ZodType>(Duration: D) {
  return z
    .object({
      /** A pending step reminds its approver after this long, and escalates after escalateAfter. */
      remindAfter: Duration,
      escalateAfter: Duration,
      /** Who hears about a step that waits too long: a person id or it_director. */
      escalateTo: Id.default('it_director'),
      /** Permission routing: the systems people ask access to, and who owns each. */
      systems: z.array(z.object({ id: Id, name: Name, owner: Owner }).strict()).default([]),
      chains: z
        .object({
          permission: Chain.default(DEFAULT_CHAINS.permission),
          revocation: Chain.default(DEFAULT_CHAINS.revocation),
          change_normal: Chain.default(DEFAULT_CHAINS.change_normal),
          change_major: Chain.default(DEFAULT_CHAINS.change_major),
          change_emergency: Chain.default(DEFAULT_CHAINS.change_emergency),
          data_export: Chain.default(DEFAULT_CHAINS.data_export),
          asset_requisition: Chain.default(DEFAULT_CHAINS.asset_requisition),
          asset_transfer: Chain.default(DEFAULT_CHAINS.asset_transfer),
          asset_scrap: Chain.default(DEFAULT_CHAINS.asset_scrap),
          asset_scrap_media: Chain.default(DEFAULT_CHAINS.asset_scrap_media),
          leave: Chain.default(DEFAULT_CHAINS.leave),
          duty_swap: Chain.default(DEFAULT_CHAINS.duty_swap),
        })
        .strict()
        .default(DEFAULT_CHAINS),
      changeWindows: z
        .array(ChangeWindow)
        .min(1)
        .default([
          { days: 'workday', start: '22:00', end: '06:00' },
          { days: 'offday', start: '00:00', end: '24:00' },
        ]),
      /** The implementer is reminded, and affected departments told, this long before a change. */
      changeNoticeBefore: Duration,
      /** The post-implementation review is due this long after the change. */
      reviewWithin: Duration,
      /** Staff leave (离岗) may last at most this many working days. */
      leaveMaxWorkdays: z.number().int().min(1).default(7),
    })
    .strict();
}
