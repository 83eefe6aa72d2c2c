/**
 * The collective emulation titles (danh hiệu thi đua) a unit of the sector can aim for and the
 * council votes at the annual review (Law on Emulation and Commendation 06/2022/QH15, arts. 26–28
 * and Decree 98/2023/NĐ-CP): what units register for at the start of a year, what a title vote is
 * about. Pure data: imported by workflows, pages and services alike.
 */
import type { LocalizedText } from './template';

export const EMULATION_TITLES = [
  'co_thi_dua_chinh_phu',
  'co_thi_dua_bo',
  'tap_the_lao_dong_xuat_sac',
  'tap_the_lao_dong_tien_tien',
] as const;
export type EmulationTitle = (typeof EMULATION_TITLES)[number];

export const EMULATION_TITLE_NAMES: Readonly<Record<EmulationTitle, LocalizedText>> = {
  co_thi_dua_chinh_phu: { vi: 'Cờ thi đua của Chính phủ', en: "Government's Emulation Flag" },
  co_thi_dua_bo: { vi: 'Cờ thi đua của Bộ', en: "Ministry's Emulation Flag" },
  tap_the_lao_dong_xuat_sac: { vi: 'Tập thể lao động xuất sắc', en: 'Excellent Labour Collective' },
  tap_the_lao_dong_tien_tien: { vi: 'Tập thể lao động tiên tiến', en: 'Advanced Labour Collective' },
};

export const isEmulationTitle = (value: unknown): value is EmulationTitle =>
  typeof value === 'string' && (EMULATION_TITLES as readonly string[]).includes(value);
