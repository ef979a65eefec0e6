/** Approvals: request cards, decisions, delegation, change management, what an approved request sets in motion. Placeholders are {name}. */
export const approvals = {
} as const;
