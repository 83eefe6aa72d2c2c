/**
 * An in-process SMTP server that keeps every message it receives, with a small mailbox page,
 * so a person trying the product (and the tests) can open an email and follow its link.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

export interface ReceivedMessage {
  readonly id: number;
  readonly messageId: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly receivedAt: Date;
}

export interface MailSink {
  readonly port: number;
  readonly messages: readonly ReceivedMessage[];
  /** Messages to `address` (case-insensitive), oldest first. */
  to(address: string): ReceivedMessage[];
  /** Refuses every new SMTP connection for `ms` milliseconds (an outage, for fault tests). */
  refuseConnectionsFor(ms: number): void;
  /** Resolves once `predicate` holds for the received messages, or rejects after `timeoutMs`. */
  waitFor(predicate: (messages: readonly ReceivedMessage[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startMailSink({ port = 0, host = '127.0.0.1' } = {}): Promise<MailSink> {
  const messages: ReceivedMessage[] = [];
  const waiters = new Set<() => void>();
  let refuseUntil = 0;
  const server = new SMTPServer({
    // During an outage, new connections and new messages on pooled connections are refused.
    onConnect(_session, callback) {
      if (Date.now() < refuseUntil)
        return callback(Object.assign(new Error('service not available, try again later'), { responseCode: 421 }));
      return callback();
    },
    onMailFrom(_address, _session, callback) {
      if (Date.now() < refuseUntil)
        return callback(Object.assign(new Error('service not available, try again later'), { responseCode: 421 }));
      return callback();
    },
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          messages.push({
            id: messages.length + 1,
            messageId: parsed.messageId ?? '',
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            receivedAt: new Date(),
          });
          for (const wake of waiters) wake();
          callback();
        })
        .catch((error: unknown) => callback(error as Error));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  // A client that drops its connection mid-session (a killed worker) is the client's problem, as
  // with any SMTP server: the message it was sending is not kept, and the sink keeps serving.
  server.on('error', () => {});
  const address = server.server.address() as AddressInfo;

  return {
    port: address.port,
    messages,
    to: (who) => messages.filter((m) => m.to.includes(who.toLowerCase())),
    refuseConnectionsFor(ms) {
      refuseUntil = Date.now() + ms;
    },
    waitFor(predicate, timeoutMs = 30_000) {
      return new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (!predicate(messages)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`mail sink: condition not met within ${timeoutMs} ms (${messages.length} messages received)`),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const linkify = (escaped: string): string =>
  escaped.replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`);

/** The dev mailbox page: newest first, each message readable with its links clickable. */
export function startMailboxPage(
  sink: MailSink,
  { port, host = '127.0.0.1' }: { port: number; host?: string },
): Promise<http.Server> {
  const page = (title: string, body: string): string =>
    `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>` +
    '<style>body{font-family:system-ui,sans-serif;margin:0 auto;max-width:900px;padding:12px}li{margin:6px 0}pre{white-space:pre-wrap;background:#f6f6f6;padding:12px}</style></head>' +
    `<body>${body}</body></html>`;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://mailbox');
    const send = (status: number, type: string, body: string): void => {
      res.writeHead(status, {
        'content-type': `${type}; charset=utf-8`,
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      });
      res.end(body);
    };
    if (url.pathname === '/api/messages') return send(200, 'application/json', JSON.stringify(sink.messages));
    const one = /^\/messages\/(\d+)$/.exec(url.pathname);
    if (one) {
      const m = sink.messages.find((x) => x.id === Number(one[1]));
      if (!m) return send(404, 'text/html', page('Không tìm thấy', '<p>Không có thư này. <a href="/">Hộp thư</a></p>'));
      return send(
        200,
        'text/html',
        page(
          m.subject,
          `<p><a href="/">← Hộp thư</a></p><h1>${escapeHtml(m.subject)}</h1><p>Từ: ${escapeHtml(m.from)}<br>Đến: ${escapeHtml(m.to.join(', '))}<br>${m.receivedAt.toISOString()}</p><pre>${linkify(escapeHtml(m.text))}</pre>`,
        ),
      );
    }
    if (url.pathname === '/') {
      const rows = [...sink.messages]
        .reverse()
        .map(
          (m) =>
            `<li><a href="/messages/${m.id}">${escapeHtml(m.subject)}</a> — ${escapeHtml(m.to.join(', '))} <small>${m.receivedAt.toISOString()}</small></li>`,
        );
      return send(
        200,
        'text/html',
        page(
          'Hộp thư thử nghiệm',
          `<h1>Hộp thư thử nghiệm (${sink.messages.length})</h1><ul>${rows.join('') || '<li>Chưa có thư.</li>'}</ul>`,
        ),
      );
    }
    return send(404, 'text/plain', 'not found');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
