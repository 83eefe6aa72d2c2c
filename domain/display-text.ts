/**
 * Text people typed, made safe to show: characters that reorder or hide what is displayed.
 * Bidirectional controls (embeddings, overrides, isolates, marks) can make "exe.png" read as
 * "gnp.exe" or move a name to the other end of a line; invisible formatting characters (Unicode
 * category Cf: the bidi controls, zero-width spaces and joiners, soft hyphens…) make two names
 * that look the same differ. Names refuse both; free texts keep what was typed and every
 * rendering drops the bidi controls. Pure.
 */

const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
const INVISIBLE_FORMAT = /\p{Cf}/u;
/** What JSON leaves raw but a text viewer would act on: bidi controls and the Unicode line and paragraph separators. */
const JSON_UNSAFE = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u2028\u2029]/g;

/** The text without bidirectional controls (for every rendering: pages, emails, spreadsheets). */
export const withoutBidiControls = (text: string): string => text.replace(BIDI_CONTROLS, '');

/** Whether a name holds an invisible formatting character (refused in names). */
export const hasInvisibleFormatting = (text: string): boolean => INVISIBLE_FORMAT.test(text);

/**
 * JSON text with bidi controls and line separators written as `\uXXXX` escapes: the same value
 * once parsed (hashes over it still verify), nothing a text viewer would reorder or break.
 * Such characters can only occur inside JSON strings, where an escape means the same.
 */
export const jsonWithEscapedControls = (json: string): string =>
  json.replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
