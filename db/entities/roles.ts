/** The roles a person can hold (over a scope): administrator, council member, auditor. */
export const ROLES = ['admin', 'council', 'auditor'] as const;
export type Role = (typeof ROLES)[number];
