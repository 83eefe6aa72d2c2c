import { ApiToken } from './api-token.entity';
import { AuditEvent, AuditPending } from './audit.entity';
import { Campaign, Holiday, Policy } from './campaign.entity';
import { ConsolidatedReport, Cycle, DraftLink, ReplacedLink, Submission, UnitTask } from './cycle.entity';
import { Email } from './email.entity';
import { WorkflowHistory } from './history.entity';
import { ReportTemplate } from './template.entity';
import { Unit } from './unit.entity';
import { BaseSchema } from './base';
import { Ballot, CommendationDecision } from './council.entity';
import { ConsoleSession } from './session.entity';
import { FrozenSummary, StoredSummary } from './summary.entity';
import { EmulationRegistration, RegistrationRound } from './registration.entity';
import { TitleBallot, TitleNominee, TitleVote } from './title-vote.entity';
import { Bloc, FrozenRanking, HandScoreEntry, ScoringTable } from './scoring.entity';
import { CouncilMember, Person, ReviewRoll, RoleAssignment, SignInLink } from './person.entity';

export {
  RegistrationRound,
  EmulationRegistration,
  Bloc,
  ScoringTable,
  HandScoreEntry,
  FrozenRanking,
  TitleVote,
  TitleNominee,
  TitleBallot,
  FrozenSummary,
  StoredSummary,
  Person,
  RoleAssignment,
  CouncilMember,
  ReviewRoll,
  SignInLink,
  ConsoleSession,
  ReplacedLink,
  DraftLink,
  WorkflowHistory,
  Ballot,
  CommendationDecision,
  ApiToken,
  AuditEvent,
  AuditPending,
  Campaign,
  Holiday,
  Policy,
  ConsolidatedReport,
  Cycle,
  Submission,
  UnitTask,
  Email,
  ReportTemplate,
  Unit,
};

/** Every entity, listed explicitly (no folder discovery). */
export const ENTITIES = [
  BaseSchema,
  Unit,
  ReportTemplate,
  Policy,
  Campaign,
  Holiday,
  Cycle,
  UnitTask,
  ReplacedLink,
  DraftLink,
  Submission,
  ConsolidatedReport,
  Email,
  AuditEvent,
  AuditPending,
  Person,
  RoleAssignment,
  CouncilMember,
  ReviewRoll,
  SignInLink,
  ApiToken,
  ConsoleSession,
  Ballot,
  CommendationDecision,
  WorkflowHistory,
  FrozenSummary,
  StoredSummary,
  RegistrationRound,
  EmulationRegistration,
  Bloc,
  ScoringTable,
  HandScoreEntry,
  FrozenRanking,
  TitleVote,
  TitleNominee,
  TitleBallot,
];
