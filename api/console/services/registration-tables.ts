/** A registration round's status per unit as a table: the console's CSV and XLSX downloads. */
import { EMULATION_TITLE_NAMES } from '../../../domain/emulation-titles';
import type { Locale } from '../../../domain/template';
import type { RoundStatus } from '../../services/registration.service';
import type { Sheet } from './xlsx';

export const REGISTRATION_FILE_PATTERN = '^(registrations\\.csv|registrations\\.xlsx)$';

export const REGISTRATION_LABELS = {
  vi: {
    sheet: 'Đăng ký thi đua',
    unitCode: 'Mã đơn vị',
    unitName: 'Đơn vị',
    head: 'Thủ trưởng',
    status: 'Tình trạng',
    registered: 'Đã đăng ký',
    notYet: 'Chưa đăng ký',
    submittedAt: 'Thời điểm đăng ký',
    submittedBy: 'Người đăng ký',
    version: 'Số lần gửi',
    reminders: 'Số thư nhắc',
    titles: 'Danh hiệu đăng ký',
  },
  en: {
    sheet: 'Registration',
    unitCode: 'Unit code',
    unitName: 'Unit',
    head: 'Head',
    status: 'Status',
    registered: 'Registered',
    notYet: 'Not yet',
    submittedAt: 'Registered at',
    submittedBy: 'Registered by',
    version: 'Submissions',
    reminders: 'Reminders',
    titles: 'Titles aimed for',
  },
} as const;

export function registrationSheet(s: RoundStatus, lang: Locale): Sheet {
  const h = REGISTRATION_LABELS[lang];
  return {
    name: `${h.sheet} ${s.year}`,
    rows: [
      [
        h.unitCode,
        h.unitName,
        h.head,
        h.status,
        h.submittedAt,
        h.submittedBy,
        h.version,
        h.reminders,
        h.titles,
        ...s.indicators.map((i) => `${i.code} (${i.measure[lang]})`),
      ],
      ...s.units.map((u) => [
        u.unitCode,
        u.unitName,
        u.headName,
        u.registered ? h.registered : h.notYet,
        u.submittedAt,
        u.submittedBy,
        u.version,
        u.remindersSent,
        u.titles.map((t) => EMULATION_TITLE_NAMES[t][lang]).join('; '),
        ...s.indicators.map((i) => u.targets?.[i.code] ?? null),
      ]),
    ],
    widths: [12, 36, 24, 14, 24, 24, 10, 10, 40],
  };
}
