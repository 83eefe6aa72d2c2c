/** A page for a request that failed: what happened, in words, and no stack trace. */
import { html, page, type Html } from './html';
import type { Locale } from './i18n';

const TITLES: Record<Locale, Record<number, string>> = {
  vi: {
    400: 'Yêu cầu không hợp lệ',
    401: 'Cần đăng nhập',
    403: 'Không có quyền truy cập',
    404: 'Không tìm thấy trang',
    409: 'Không thực hiện được',
    413: 'Nội dung gửi lên quá lớn',
    500: 'Đã có lỗi xảy ra',
  },
  en: {
    400: 'The request is not valid',
    401: 'Please sign in',
    403: 'Access denied',
    404: 'Page not found',
    409: 'This cannot be done now',
    413: 'What was sent is too large',
    500: 'Something went wrong',
  },
};
const DEFAULT_TEXT: Record<Locale, Record<number, string>> = {
  vi: {
    403: 'Vai trò của bạn không được dùng trang này.',
    404: 'Trang bạn tìm không tồn tại hoặc đã được chuyển đi.',
    413: 'Hãy gửi nội dung ngắn hơn, hoặc chia tệp thành nhiều phần.',
    500: 'Lỗi từ phía hệ thống; những gì bạn đã gửi và được xác nhận thì không bị mất. Vui lòng thử lại sau ít phút.',
  },
  en: {
    403: 'Your role may not use this page.',
    404: 'The page you are looking for does not exist or has moved.',
    413: 'Send less, or split the file into parts.',
    500: 'Something went wrong on our side; whatever was confirmed as saved is kept. Please try again in a few minutes.',
  },
};

export function errorTitle(status: number, lang: Locale): string {
  return TITLES[lang][status] ?? TITLES[lang][status >= 500 ? 500 : 400]!;
}

/** The inside of an error page, for pages that bring their own frame (the console). */
export function errorContent(
  status: number,
  lang: Locale,
  opts: { message?: string; back?: { href: string; label: string } } = {},
): Html {
  const title = errorTitle(status, lang);
  const text = opts.message ?? DEFAULT_TEXT[lang][status] ?? DEFAULT_TEXT[lang][status >= 500 ? 500 : 404]!;
  return html`<h1>${title}</h1><p class="error" role="alert">${text}</p>${opts.back ? html`<p><a href="${opts.back.href}">${opts.back.label}</a></p>` : ''}`;
}

export function errorPage(
  status: number,
  lang: Locale,
  opts: { message?: string; header?: Html; width?: 'narrow' | 'wide'; back?: { href: string; label: string } } = {},
): string {
  return page({
    title: errorTitle(status, lang),
    lang,
    width: opts.width ?? 'narrow',
    ...(opts.header ? { header: opts.header } : {}),
    body: errorContent(status, lang, opts),
  });
}
