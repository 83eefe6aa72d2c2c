import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Person } from './person.entity';
import { BaseSchema } from './base';
import { Cycle } from './cycle.entity';

export const BALLOT_CHOICES = ['approve', 'request_revision', 'reject'] as const;
export type BallotChoice = (typeof BALLOT_CHOICES)[number];

/**
 * One council member's (person's, whatever token or session they used) vote on one consolidated version: on the report itself
 * (`subjectKey = 'report'`: approve or request revision) or on one commendation proposal
 * (`subjectKey = 'proposal:<id>'`: approve or reject). A member votes once per subject.
 */
export const Ballot = defineEntity({
  name: 'Ballot',
  extends: BaseSchema,
  uniques: [{ properties: ['cycle', 'reportVersion', 'voter', 'subjectKey'] }],
  properties: {
    cycle: () => p.manyToOne(Cycle),
    reportVersion: p.integer(),
    voter: () => p.manyToOne(Person),
    subjectKey: p.string().length(200),
    choice: p.enum([...BALLOT_CHOICES]),
    /** Units a revision vote sends back. */
    unitCodes: p.json<string[]>().nullable(),
    comment: p.text().nullable(),
  },
});
export type IBallot = InferEntity<typeof Ballot>;

/** The council's decision on one commendation proposal, taken when the report is approved. */
export const CommendationDecision = defineEntity({
  name: 'CommendationDecision',
  extends: BaseSchema,
  uniques: [{ properties: ['cycle', 'proposalId'] }],
  properties: {
    cycle: () => p.manyToOne(Cycle),
    reportVersion: p.integer(),
    proposalId: p.string().length(200),
    unitCode: p.string().length(64),
    nominee: p.string().length(5000),
    requestedForm: p.string().length(5000),
    approved: p.boolean(),
    approvals: p.integer(),
    rejections: p.integer(),
    members: p.integer(),
  },
});
export type ICommendationDecision = InferEntity<typeof CommendationDecision>;
