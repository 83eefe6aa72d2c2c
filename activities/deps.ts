import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { Transporter } from 'nodemailer';
import type { Config } from '../config/config';
import type { DeliveryDeps } from '../mail/outbox';

/** What activities need from the outside world; built once per worker. */
export interface ActivityDeps {
  readonly orm: MikroORM;
  readonly mailer: Transporter;
  /** To read workflow histories for the archive. */
  readonly temporal: Client;
  readonly config: Pick<Config, 'MAIL_FROM' | 'PUBLIC_URL' | 'LINK_SECRET' | 'SECRETARIAT_EMAIL' | 'DEFAULT_LOCALE'>;
  readonly now: () => Date;
}

export function deliveryDeps(deps: ActivityDeps): DeliveryDeps {
  return {
    em: deps.orm.em.fork(),
    mailer: deps.mailer,
    from: deps.config.MAIL_FROM,
    publicUrl: deps.config.PUBLIC_URL,
    linkSecret: deps.config.LINK_SECRET,
  };
}
