import { Migration } from '@mikro-orm/migrations';

/**
 * Group sealing of the audit chain, for the hot write path (report submissions).
 *
 * With the deferred trigger of 20261123170000 each audited transaction holds the chain's lock
 * through its own COMMIT, WAL flush included, so concurrent submissions commit one at a time.
 * Rows inserted with `seal_after_commit` are skipped by that trigger: the writer commits them
 * unchained (no lock, commits group in the WAL as usual), then calls `seal_audit_chain()`, which
 * takes the same lock, chains every committed row so marked, in id order, with the same hash
 * (`sha256(prev_hash || '\n' || content)`), deletes them and commits: one flush under the lock for
 * all the events that committed meanwhile. A writer that dies between its commit and the seal
 * leaves its row to the next seal (any writer's, or `npm run audit:verify`).
 */
export class Migration20261123200000 extends Migration {
  override name = 'Migration20261123200000';

  override up(): void | Promise<void> {
    this.addSql(`alter table "audit_pending" add "seal_after_commit" boolean not null default false;`);
    this.addSql(`drop trigger if exists "audit_pending_chain" on "audit_pending";`);
    this.addSql(
      `create constraint trigger "audit_pending_chain" after insert on "audit_pending" deferrable initially deferred for each row when (not NEW.seal_after_commit) execute function "audit_pending_chain_fn"();`,
    );
    this.addSql(`create or replace function "seal_audit_chain"() returns integer as $$
declare
  r record;
  c jsonb;
  head record;
  prev text;
  pos bigint;
  sealed integer := 0;
begin
  if not exists (select 1 from audit_pending where seal_after_commit) then return 0; end if;
  perform pg_advisory_xact_lock(hashtext('audit_event'));
  select hash, seq into head from audit_event order by seq desc limit 1;
  prev := coalesce(head.hash, repeat('0', 64));
  pos := coalesce(head.seq, 0);
  for r in select id, content from audit_pending where seal_after_commit order by id loop
    c := r.content::jsonb;
    pos := pos + 1;
    insert into audit_event (id, seq, occurred_at, actor_kind, actor_id, action, subject_type, subject_id, cycle_id, before, after, origin, prev_hash, hash)
    values (r.id, pos, (c->>'occurredAt')::timestamptz, c->>'actorKind', c->>'actorId', c->>'action', c->>'subjectType', c->>'subjectId',
            (c->>'cycleId')::int, c->'before', c->'after', c->>'origin', prev, encode(sha256(convert_to(prev || E'\\n' || r.content, 'UTF8')), 'hex'))
    returning hash into prev;
    delete from audit_pending where id = r.id;
    sealed := sealed + 1;
  end loop;
  return sealed;
end;
$$ language plpgsql;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`select "seal_audit_chain"();`);
    this.addSql(`drop function if exists "seal_audit_chain"();`);
    this.addSql(`drop trigger if exists "audit_pending_chain" on "audit_pending";`);
    this.addSql(
      `create constraint trigger "audit_pending_chain" after insert on "audit_pending" deferrable initially deferred for each row execute function "audit_pending_chain_fn"();`,
    );
    this.addSql(`alter table "audit_pending" drop column "seal_after_commit";`);
  }
}
