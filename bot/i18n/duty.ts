/** Duty: the roster, shift overrides and imports, handovers. Placeholders are {name}. */
export const duty = {
} as const;
