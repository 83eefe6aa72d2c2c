/** Reporting periods are months written `YYYY-MM`. Pure: imported by workflows. */

export type Period = string & { readonly __brand: 'Period' };

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function parsePeriod(value: string): Period | undefined {
  return PERIOD.test(value) ? (value as Period) : undefined;
}

export function periodParts(period: Period): { year: number; month: number } {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return { year, month };
}

/** Workflow IDs are deterministic so that starting the same cycle twice is refused. */
export const cycleWorkflowId = (campaignCode: string, period: Period): string => `cycle-${campaignCode}-${period}`;
export const unitWorkflowId = (cycleId: string, unitCode: string): string => `${cycleId}-unit-${unitCode}`;
/** The Temporal Schedule that starts a campaign's monthly cycles. */
export const scheduleId = (campaignCode: string): string => `schedule-${campaignCode}`;
