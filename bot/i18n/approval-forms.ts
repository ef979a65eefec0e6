/** The forms of each kind of request: labels, options, placeholders, titles, fields and the mistakes a form can have. Placeholders are {name}. */
export const approvalForms = {
} as const;
