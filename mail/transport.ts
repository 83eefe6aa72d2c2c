import nodemailer, { type Transporter } from 'nodemailer';

/** A pooled SMTP transport for the URL (`smtp://host:port`, `smtps://user:pass@host:port`). */
export function createMailTransport(smtpUrl: string): Transporter {
  const url = new URL(smtpUrl);
  return nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 25)),
    secure: url.protocol === 'smtps:',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    pool: true,
    maxConnections: 5,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    // Local sinks and mail catchers speak plain SMTP; real relays negotiate STARTTLS themselves.
    ignoreTLS: ['127.0.0.1', 'localhost', '::1'].includes(url.hostname) || url.searchParams.get('tls') === 'off',
  });
}
