import { Migration } from '@mikro-orm/migrations';

/**
 * The audit chain is extended at commit instead of inside the writer's transaction.
 *
 * Before: `appendAudit` took a transaction-scoped advisory lock, read the chain's head and inserted
 * the chained row, so the lock was held from that point until the writer's COMMIT, across every
 * round trip (and event-loop turn) left in its transaction: all audited writes queued on it.
 *
 * Now: writers insert the row's canonical content into `audit_pending` (no lock; its id is taken
 * from audit_event's sequence, so it is the event's id). A deferred constraint trigger chains it
 * when the writer commits: it takes the lock, reads the head, inserts the chained row into
 * audit_event with the next position and `sha256(prev_hash || '\n' || content)` (the same hash
 * `auditHash` computes), and deletes the pending row. The lock is now held only while the commit
 * itself runs. A transaction that rolls back leaves nothing behind, as before.
 *
 * Consolidated versions are stored as their basis (each task's unit, deadline and counted
 * submission, db/consolidated-report.ts) instead of a copy of every answer; versions stored before
 * keep their `content`.
 */
export class Migration20261123170000 extends Migration {
  override name = 'Migration20261123170000';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "audit_pending" ("id" bigint not null default nextval('audit_event_id_seq'), "content" text not null, constraint "audit_pending_pkey" primary key ("id"));`,
    );
    this.addSql(`create or replace function "audit_pending_chain_fn"() returns trigger as $$
declare
  c jsonb := NEW.content::jsonb;
  head record;
  prev text;
begin
  perform pg_advisory_xact_lock(hashtext('audit_event'));
  select hash, seq into head from audit_event order by seq desc limit 1;
  prev := coalesce(head.hash, repeat('0', 64));
  insert into audit_event (id, seq, occurred_at, actor_kind, actor_id, action, subject_type, subject_id, cycle_id, before, after, origin, prev_hash, hash)
  values (NEW.id, coalesce(head.seq, 0) + 1, (c->>'occurredAt')::timestamptz, c->>'actorKind', c->>'actorId', c->>'action', c->>'subjectType', c->>'subjectId',
          (c->>'cycleId')::int, c->'before', c->'after', c->>'origin', prev, encode(sha256(convert_to(prev || E'\\n' || NEW.content, 'UTF8')), 'hex'));
  delete from audit_pending where id = NEW.id;
  return null;
end;
$$ language plpgsql;`);
    this.addSql(`alter table "consolidated_report" add "basis" jsonb null;`);
    this.addSql(`alter table "consolidated_report" alter column "content" drop not null;`);
    this.addSql(
      `create constraint trigger "audit_pending_chain" after insert on "audit_pending" deferrable initially deferred for each row execute function "audit_pending_chain_fn"();`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "consolidated_report" drop column "basis";`);
    this.addSql(`drop trigger if exists "audit_pending_chain" on "audit_pending";`);
    this.addSql(`drop function if exists "audit_pending_chain_fn"();`);
    this.addSql(`drop table if exists "audit_pending" cascade;`);
  }
}
