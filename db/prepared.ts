/**
 * Named prepared statements for the hottest write path (a report's submission). PostgreSQL then
 * parses and plans each statement once per connection instead of on every call: with
 * `em.execute`, MikroORM inlines the values into the SQL text, so every report paid for planning a
 * three-table join and a three-statement CTE again — half of the database's time per report in
 * `bench:submissions` (pg_stat_statements). Values travel as bind parameters (`$1`, `$2`, …).
 *
 * They run on the ORM's own pool (`getNativeClient`), each as one implicit transaction, so they are
 * refused inside an `em.transactional` block, whose connection they could not join.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { QueryResultRow } from 'pg';

/** A statement with its result row and its parameters' types, in `$n` order. */
export interface PreparedStatement<Row extends QueryResultRow, Params extends readonly unknown[]> {
  readonly name: string;
  readonly text: string;
  /** Never set: carries the types. */
  readonly types?: { row: Row; params: Params };
}

const names = new Set<string>();

/** Declares a statement once, at module load; a name is tied to one text per connection. */
export function preparedStatement<Row extends QueryResultRow, Params extends readonly unknown[]>(
  name: string,
  text: string,
): PreparedStatement<Row, Params> {
  if (names.has(name)) throw new Error(`prepared statement "${name}" is declared twice`);
  names.add(name);
  return { name, text };
}

export async function runPrepared<Row extends QueryResultRow, Params extends readonly unknown[]>(
  em: EntityManager,
  statement: PreparedStatement<Row, Params>,
  values: Params,
): Promise<Row[]> {
  if (em.isInTransaction())
    throw new Error(
      `prepared statement "${statement.name}" runs in a transaction of its own and cannot join the caller's`,
    );
  const pool = await em.getConnection().getNativeClient();
  const result = await pool.query<Row>({ name: statement.name, text: statement.text, values: [...values] });
  return result.rows;
}
