/** Recurring duties: reminder cards, their follow-ups. Placeholders are {name}. */
export const reminders = {
} as const;
