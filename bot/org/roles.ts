/** The roles a person of the organisation file may hold. */
export const ROLES = ['reporter', 'info_officer', 'dept_head', 'it_engineer', 'it_group_leader', 'it_director', 'vp_it', 'leadership', 'hr', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The kinds of escalation step (besides a person id). */
export const ESCALATION_STEPS = ['duty', 'group_leader', 'it_director'] as const;
