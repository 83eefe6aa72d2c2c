/**
 * The request pieces every audience's routes share (TypeBox → JSON Schema: validated by Fastify,
 * published in OpenAPI for the JSON API): codes, reporting months, cycle and proposal parameters,
 * versions, reasons and comments. One definition each, so a code accepted by one route is
 * accepted by every route.
 */
import { Type } from 'typebox';
import { WINDOW_PATTERN } from '../../domain/summary-window';

export const CODE_PATTERN = '^[A-Za-z0-9_-]{1,64}$';

export const Code = Type.String({ pattern: CODE_PATTERN, description: 'a code: 1–64 letters, digits, "-" and "_"' });
export const CodeParams = Type.Object({ code: Code });

export const Period = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'reporting month, YYYY-MM' });
export const CycleParams = Type.Object({ campaign: Code, period: Period });

export const ProposalId = Type.String({ pattern: '^[A-Za-z0-9_-]{1,150}$' });
export const ProposalParams = Type.Object({ ...CycleParams.properties, proposalId: ProposalId });

export const Version = Type.Integer({ minimum: 1, maximum: 1000, description: 'a version of the consolidated report' });
export const VersionParams = Type.Object({ ...CycleParams.properties, version: Version });

/** Why an administrator acts (audited, and shown where the action is explained). */
export const Reason = Type.String({ minLength: 3, maxLength: 1000 });
/** A council member's comment on a ballot. */
export const Comment = Type.String({ minLength: 3, maxLength: 5000 });

/** A periodic summary's window (domain/summary-window.ts). */
export const SummaryWindowParam = Type.String({
  pattern: WINDOW_PATTERN,
  description:
    'the window (Decree 09/2019 art. 12): a year "2027" (15 Dec 2026 → 14 Dec 2027), a quarter "2027-Q1" (15 Dec → 14 Mar), a half "2027-H1" or "2027-H2", or months "2027-01..2027-05"',
});
export const SummaryParams = Type.Object({ campaign: Code, window: SummaryWindowParam });
