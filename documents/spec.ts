/**
 * An administrative document as plain data: what the Decree 30/2020/NĐ-CP layout needs (heading,
 * number, place and date, type and summary, body, signer, recipients). Plain data so a document can
 * be described where the data is read and written out elsewhere (another thread), and so each kind
 * of document says only what it contains, never how a page looks.
 */

export type Align = 'left' | 'center' | 'right' | 'justify';

export type Block =
  /** A numbered part heading ("I. …"), bold; `centered` for an appendix's title. */
  | { readonly kind: 'heading'; readonly text: string; readonly centered?: boolean }
  | {
      readonly kind: 'paragraph';
      readonly text: string;
      readonly bold?: boolean;
      readonly italic?: boolean;
      readonly align?: Align;
      /** First-line indent (the body's usual 1 cm); true by default. */
      readonly indent?: boolean;
    }
  /** A line of a list, shown with a leading dash. */
  | { readonly kind: 'item'; readonly text: string }
  | {
      readonly kind: 'table';
      /** Wide tables go in a landscape section of their own. */
      readonly landscape?: boolean;
      readonly caption?: string;
      readonly columns: readonly { readonly title: string; readonly width: number; readonly align?: Align }[];
      readonly rows: readonly (readonly (string | number | null)[])[];
    };

export interface OfficialDocumentSpec {
  readonly lang: 'vi' | 'en';
  /** Document metadata title. */
  readonly title: string;
  /** The body above the issuing one (may be empty), capitals. */
  readonly parentBody: string;
  readonly issuingBody: string;
  /** "Số: …/BC-…". */
  readonly number: string;
  /** "Hà Nội, ngày … tháng … năm …", shown in italics. */
  readonly placeAndDate: string;
  /** "BÁO CÁO", "BIÊN BẢN", "QUYẾT ĐỊNH". */
  readonly type: string;
  readonly summary: string;
  readonly body: readonly Block[];
  /** Appendices, after the signature (wide tables in landscape, each with its heading). */
  readonly appendix?: readonly Block[];
  /** "TM. HỘI ĐỒNG", "KT. CHỦ TỊCH" … (may be empty). */
  readonly signerAuthority: string;
  readonly signerPosition: string;
  readonly signerName: string;
  /**
   * A second signature left of the signer's (minutes: the secretary beside the chair); the
   * recipients then follow below both.
   */
  readonly countersigner?: { readonly position: string; readonly name: string };
  readonly recipients: readonly string[];
}
