import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { EmulationTitle } from '../../domain/emulation-titles';
import { BaseSchema } from './base';
import { Campaign } from './campaign.entity';
import { ReportTemplate } from './template.entity';
import { Unit } from './unit.entity';

/**
 * A campaign's registration round for a year: its units register their targets and titles
 * through emailed links until the deadline (registrationWorkflow dispatches, reminds and closes
 * it). One per campaign and year; the template version is pinned when it opens.
 */
export const RegistrationRound = defineEntity({
  name: 'RegistrationRound',
  extends: BaseSchema,
  uniques: [{ properties: ['campaign', 'year'] }],
  properties: {
    campaign: () => p.manyToOne(Campaign),
    year: p.integer(),
    template: () => p.manyToOne(ReportTemplate),
    deadline: p.datetime(),
    /** Instants (ISO) at which units that have not registered are reminded, before the deadline. */
    reminders: p.json<string[]>(),
    workflowId: p.string().length(250).unique(),
    /** Who opened it (an administrator's token or session name). */
    openedBy: p.string().length(200),
    /** Set by the workflow at the deadline; submissions are refused from the deadline on either way. */
    closedAt: p.datetime().nullable(),
  },
});
export type IRegistrationRound = InferEntity<typeof RegistrationRound>;

/**
 * One unit's emulation registration in a round: its personal link (only the token's SHA-256 is
 * kept) and, once it registers, a target per indicator code and the titles it aims for. Corrected
 * in place until the deadline; every version is in the audit log.
 */
export const EmulationRegistration = defineEntity({
  name: 'EmulationRegistration',
  extends: BaseSchema,
  uniques: [{ properties: ['round', 'unit'] }],
  properties: {
    round: () => p.manyToOne(RegistrationRound),
    unit: () => p.manyToOne(Unit),
    tokenHash: p.string().length(64).unique(),
    dispatchedAt: p.datetime().nullable(),
    remindersSent: p.integer().default(0),
    /** Indicator code → registered figure; null until the unit registers. */
    targets: p.json<Record<string, number>>().nullable(),
    titles: p.json<EmulationTitle[]>().nullable(),
    submittedAt: p.datetime().nullable(),
    /** The unit head's name when the registration was last submitted (the audit log has the address). */
    submittedBy: p.string().length(200).nullable(),
    /** How many times the registration was submitted (1: never corrected). */
    version: p.integer().default(0),
  },
});
export type IEmulationRegistration = InferEntity<typeof EmulationRegistration>;
