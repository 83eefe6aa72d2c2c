import { planCycle, rescheduleUnit, windowEnd } from '../domain/calendar';
import { parsePeriod } from '../domain/period';
import { DEFAULT_POLICY, type CalendarTiming } from '../domain/policy';

const timing = DEFAULT_POLICY.timing as CalendarTiming;
const local = (iso: string): string => new Date(iso).toLocaleString('sv-SE', { timeZone: 'Asia/Ho_Chi_Minh' });

describe('the monthly calendar in Asia/Ho_Chi_Minh', () => {
  test('when the 20th is a working day, the deadline is the 20th at 17:00 local time', () => {
    const plan = planCycle(timing, parsePeriod('2026-11')!, '2026-11-15T01:00:00Z', new Set());
    expect(local(plan.schedule.deadline)).toBe('2026-11-20 17:00:00'); // a Friday
    expect(plan.dataFrom).toBe('2026-10-15');
    expect(plan.dataTo).toBe('2026-11-14');
    expect(plan.schedule.reminders.map(local)).toEqual([
      '2026-11-17 08:00:00',
      '2026-11-19 08:00:00',
      '2026-11-20 08:00:00',
    ]);
  });

  test('when the 20th falls on a weekend, the deadline moves to the next working day', () => {
    const plan = planCycle(timing, parsePeriod('2026-12')!, '2026-12-15T01:00:00Z', new Set());
    expect(local(plan.schedule.deadline)).toBe('2026-12-21 17:00:00'); // the 20th is a Sunday
  });

  test('when the next working day is a holiday, the deadline moves past it too', () => {
    const plan = planCycle(timing, parsePeriod('2026-12')!, '2026-12-15T01:00:00Z', new Set(['2026-12-21']));
    expect(local(plan.schedule.deadline)).toBe('2026-12-22 17:00:00');
  });

  test('escalations and the hard close count working days after the deadline, skipping weekends and holidays', () => {
    const plan = planCycle(timing, parsePeriod('2026-11')!, '2026-11-15T01:00:00Z', new Set(['2026-11-24']));
    // Friday 20th → +1 working day = Monday 23rd; +3 = Thursday 26th (Tuesday 24th is a holiday); +5 = Monday 30th.
    expect(plan.schedule.escalations.map(local)).toEqual(['2026-11-23 17:00:00', '2026-11-26 17:00:00']);
    expect(local(plan.schedule.hardClose)).toBe('2026-11-30 17:00:00');
  });

  test('when a cycle is started late by hand, reminders already in the past are dropped', () => {
    const plan = planCycle(timing, parsePeriod('2026-11')!, '2026-11-19T03:00:00Z', new Set());
    expect(plan.schedule.reminders.map(local)).toEqual(['2026-11-20 08:00:00']);
  });

  test('an extension moves reminders, escalations and the hard close with the new deadline', () => {
    const s = rescheduleUnit(timing, '2026-11-27T10:00:00Z', '2026-11-21T00:00:00Z', new Set());
    expect(local(s.deadline)).toBe('2026-11-27 17:00:00');
    expect(s.reminders.map(local)).toEqual(['2026-11-24 08:00:00', '2026-11-26 08:00:00', '2026-11-27 08:00:00']);
    expect(local(s.escalations[0])).toBe('2026-11-30 17:00:00');
    expect(local(s.hardClose)).toBe('2026-12-04 17:00:00');
  });

  test('the review window counts working days', () => {
    expect(local(windowEnd(timing, '2026-11-27T10:00:00Z', 'review', new Set()))).toBe('2026-12-04 17:00:00');
  });
});

describe('relative timing for tests and demos', () => {
  test('every instant is an offset in seconds from the start', () => {
    const plan = planCycle(
      {
        kind: 'relative',
        deadlineAfterSeconds: 60,
        reminderSecondsBefore: [30, 10],
        escalationSecondsAfter: [5, 10],
        hardCloseSecondsAfter: 20,
        reviewWindowSeconds: 30,
        revisionWindowSeconds: 15,
      },
      parsePeriod('2026-11')!,
      '2026-11-23T00:00:00.000Z',
      new Set(),
    );
    expect(plan.schedule).toEqual({
      deadline: '2026-11-23T00:01:00.000Z',
      reminders: ['2026-11-23T00:00:30.000Z', '2026-11-23T00:00:50.000Z'],
      escalations: ['2026-11-23T00:01:05.000Z', '2026-11-23T00:01:10.000Z'],
      hardClose: '2026-11-23T00:01:20.000Z',
    });
  });
});
