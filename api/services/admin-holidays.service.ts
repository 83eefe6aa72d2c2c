/**
 * The public-holiday calendar: deadlines on a holiday move to the next working day, and working
 * days counted after a deadline skip holidays. Cycles already planned keep their instants.
 */
import type { Refusal } from '../../domain/refusals';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Holiday } from '../../db/entities';
import type { IHoliday } from '../../db/entities/campaign.entity';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors';
import { auditChange, requireText, uniquely, type AdminContext } from './admin-common';

export interface HolidayView {
  readonly date: string;
  readonly name: string;
}

const viewOf = (h: IHoliday): HolidayView => ({ date: h.date, name: h.name });

/** A real calendar date written `YYYY-MM-DD` (no 30 February). */
export function isCalendarDate(date: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d;
}

export async function listHolidays(em: EntityManager, { year }: { year?: number }): Promise<HolidayView[]> {
  const where = year === undefined ? {} : { date: { $like: `${String(year).padStart(4, '0')}-%` } };
  return (await em.find(Holiday, where, { orderBy: { date: 'asc' } })).map(viewOf);
}

export async function addHoliday(ctx: AdminContext, input: { date: string; name: string }): Promise<HolidayView> {
  if (!isCalendarDate(input.date))
    throw new ValidationError(
      {
        code: 'field_invalid',
        params: { field: 'date', problem: `is not a calendar date (YYYY-MM-DD): "${input.date}"` },
      },
      'date',
    );
  const name = requireText('name', input.name, { max: 200 });
  const duplicate: Refusal = { code: 'already_exists', params: { kind: 'holiday', key: input.date } };
  return uniquely('date', duplicate, () =>
    ctx.em.transactional(async (tx) => {
      if (await tx.count(Holiday, { date: input.date })) throw new ConflictError(duplicate, 'date');
      const holiday = tx.create(Holiday, { date: input.date, name });
      await tx.flush();
      const view = viewOf(holiday);
      await auditChange(tx, ctx, 'holiday.added', { type: 'holiday', id: view.date }, { after: view });
      return view;
    }),
  );
}

export async function removeHoliday(ctx: AdminContext, date: string): Promise<HolidayView> {
  return ctx.em.transactional(async (tx) => {
    const holiday = await tx.findOne(Holiday, { date });
    if (!holiday) throw new NotFoundError({ code: 'holiday_unknown', params: { date } }, 'date');
    const view = viewOf(holiday);
    tx.remove(holiday);
    await tx.flush();
    await auditChange(tx, ctx, 'holiday.removed', { type: 'holiday', id: date }, { before: view });
    return view;
  });
}
