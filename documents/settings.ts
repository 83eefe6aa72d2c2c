/**
 * A campaign's settings for the documents it issues: who issues them, who signs, where, how they
 * are numbered and who receives them. Stored on the campaign (`document_settings`, JSON); a
 * campaign without them uses the Vietnamese defaults below. Pure.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F]/;

export interface DocumentSettings {
  /** The body above the issuing one, in capitals on the first line (may be empty). */
  readonly parentBody: string;
  readonly issuingBody: string;
  /**
   * The number and symbol after "Số:": `{type}` becomes the document's kind (BC, BB, QĐ), `{year}`
   * the cycle's year. The number itself is left blank for the registry to fill in when signed.
   */
  readonly numberPattern: string;
  /** "TM. HỘI ĐỒNG" and the like, above the position (may be empty). */
  readonly signerAuthority: string;
  readonly signerPosition: string;
  /** May be empty: the name is written in by hand on a draft. */
  readonly signerName: string;
  readonly place: string;
  readonly recipients: string[];
}

export const DEFAULT_DOCUMENT_SETTINGS: DocumentSettings = {
  parentBody: 'BỘ THÔNG TIN VÀ TRUYỀN THÔNG',
  issuingBody: 'HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG',
  numberPattern: '      /{type}-HĐTĐKT',
  signerAuthority: 'TM. HỘI ĐỒNG',
  signerPosition: 'CHỦ TỊCH',
  signerName: '',
  place: 'Hà Nội',
  recipients: ['Lãnh đạo Bộ (để báo cáo)', 'Các đơn vị thuộc Bộ', 'Lưu: VT, TĐKT'],
};

const LIMITS: Record<Exclude<keyof DocumentSettings, 'recipients'>, number> = {
  parentBody: 200,
  issuingBody: 200,
  numberPattern: 60,
  signerAuthority: 100,
  signerPosition: 100,
  signerName: 100,
  place: 100,
};
const RECIPIENT_MAX = 200;
const RECIPIENTS_MAX = 30;
export const DOCUMENT_SETTING_KEYS = [...Object.keys(LIMITS), 'recipients'] as (keyof DocumentSettings)[];

/** The settings in force: the stored ones over the defaults. */
export function documentSettingsOf(stored: Partial<DocumentSettings> | null | undefined): DocumentSettings {
  return { ...DEFAULT_DOCUMENT_SETTINGS, ...(stored ?? {}) };
}

export interface SettingsProblem {
  readonly field: string;
  readonly message: string;
}

/**
 * Checks a change to the settings (only known keys; texts one line, NFC, within their limits;
 * issuing body, position and place not empty); the settings it gives or the problems, each naming
 * its field (`documentSettings.<key>`).
 */
export function checkDocumentSettings(
  current: DocumentSettings,
  patch: Record<string, unknown>,
): { settings: DocumentSettings; problems: SettingsProblem[] } {
  const problems: SettingsProblem[] = [];
  const next: Record<string, unknown> = { ...current };
  const say = (key: string, message: string) => problems.push({ field: `documentSettings.${key}`, message });
  for (const [key, value] of Object.entries(patch)) {
    if (!DOCUMENT_SETTING_KEYS.includes(key as keyof DocumentSettings)) {
      say(key, 'is not a document setting');
      continue;
    }
    if (key === 'recipients') {
      if (!Array.isArray(value) || value.some((r) => typeof r !== 'string')) {
        say(key, 'must be a list of texts');
        continue;
      }
      const list = (value as string[]).map((r) => r.normalize('NFC').replace(/\s+/g, ' ').trim()).filter(Boolean);
      if (list.length > RECIPIENTS_MAX) say(key, `must have at most ${RECIPIENTS_MAX} entries`);
      else if (list.some((r) => r.length > RECIPIENT_MAX || CONTROL.test(r)))
        say(key, `entries must be one line of at most ${RECIPIENT_MAX} characters`);
      else next.recipients = list;
      continue;
    }
    if (typeof value !== 'string') {
      say(key, 'must be a text');
      continue;
    }
    const text = value
      .normalize('NFC')
      .replace(/[\t\r\n]+/g, ' ')
      .trim();
    const max = LIMITS[key as keyof typeof LIMITS];
    if (text.length > max) say(key, `must be at most ${max} characters`);
    else if (CONTROL.test(text)) say(key, 'must not hold control characters');
    else if (!text && ['issuingBody', 'signerPosition', 'place', 'numberPattern'].includes(key))
      say(key, 'must not be empty');
    else next[key] = text;
  }
  return { settings: next as unknown as DocumentSettings, problems };
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * "Hà Nội, ngày 02 tháng 12 năm 2026" in Vietnam's time zone (days below 10 and months below 3
 * written with a leading zero, as the decree asks); `blank` leaves day and month to fill in by hand.
 */
export function placeAndDate(place: string, at: Date, lang: 'vi' | 'en', blank = false): string {
  const local = new Date(at.getTime() + 7 * 3600_000);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth() + 1;
  const d = local.getUTCDate();
  if (lang === 'en') {
    const month = local.toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' });
    return blank ? `${place}, ____ ${y}` : `${place}, ${d} ${month} ${y}`;
  }
  if (blank) return `${place}, ngày      tháng      năm ${y}`;
  return `${place}, ngày ${pad2(d)} tháng ${m < 3 ? pad2(m) : m} năm ${y}`;
}

/** "Số: …" from the pattern. */
export function numberOf(settings: DocumentSettings, type: string, year: number, lang: 'vi' | 'en'): string {
  const body = settings.numberPattern.replaceAll('{type}', type).replaceAll('{year}', String(year));
  return `${lang === 'vi' ? 'Số' : 'No.'}: ${body}`;
}
