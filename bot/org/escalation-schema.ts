import { z } from 'zod';
import { Id } from './ids.js';
import { Duration } from './duration.js';
import { ESCALATION_STEPS } from './roles.js';

/** A step: a kind of person (duty, group_leader, it_director), the leadership group, or a person id. */
const Step = z.union([z.enum(ESCALATION_STEPS), z.literal('leadership'), Id]);

/**
 * How a ticket of one priority escalates (`tickets.escalation.policy.P1` …): who is told directly
 * the moment it is reported, who is asked in turn once its deadline passed (each `after` the
 * deadline), how often the last step is reminded, and whether steps fall due at any hour or only
 * within working hours (then `after` counts working time, and a night report waits for the morning).
 */
const Policy = z
  .object({
    atOnce: z.array(Step).default([]),
    steps: z.array(z.object({ to: Step, after: Duration }).strict()).min(1),
    remindEvery: Duration,
    hours: z.enum(['always', 'working']).default('always'),
  })
  .strict();
export type EscalationPolicy = z.output<typeof Policy>;

const m = (minutes: number) => ({ minutes });
const defaults: Record<'P1' | 'P2' | 'P3' | 'P4', EscalationPolicy> = {
  P1: {
    atOnce: ['duty'],
    steps: [
      { to: 'group_leader', after: m(0) },
      { to: 'it_director', after: m(15) },
      { to: 'leadership', after: m(45) },
    ],
    remindEvery: m(30),
    hours: 'always',
  },
  P2: {
    atOnce: ['duty'],
    steps: [
      { to: 'group_leader', after: m(0) },
      { to: 'it_director', after: m(30) },
      { to: 'leadership', after: m(90) },
    ],
    remindEvery: m(60),
    hours: 'always',
  },
  P3: {
    atOnce: [],
    steps: [
      { to: 'duty', after: m(0) },
      { to: 'group_leader', after: m(60) },
      { to: 'it_director', after: m(120) },
    ],
    remindEvery: m(24 * 60),
    hours: 'working',
  },
  P4: {
    atOnce: [],
    steps: [
      { to: 'duty', after: m(0) },
      { to: 'group_leader', after: m(120) },
      { to: 'it_director', after: m(240) },
    ],
    remindEvery: m(24 * 60),
    hours: 'working',
  },
};

/** The policies by priority; a priority left out keeps its default. */
export const EscalationPolicies = z
  .object({
    P1: Policy.default(defaults.P1),
    P2: Policy.default(defaults.P2),
    P3: Policy.default(defaults.P3),
    P4: Policy.default(defaults.P4),
  })
  .strict()
  .default(defaults);
