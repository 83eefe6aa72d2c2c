/** The submission path's prepared statements (db/prepared.ts) against the stack's real database. */
import { preparedStatement, runPrepared } from '../db/prepared';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const ECHO = preparedStatement<{ n: number; text: string }, [n: number, text: string]>(
  'test-echo',
  'SELECT $1::int AS n, $2::text AS text',
);
const STORE = preparedStatement<{ id: number }, [text: string]>(
  'test-store',
  `INSERT INTO holiday (created_at, updated_at, date, name) VALUES (now(), now(), '2099-12-31', $1) RETURNING id`,
);

test('values travel as bind parameters, and the same statement answers on every connection of the pool', async () => {
  const hostile = "x'); DROP TABLE unit_task; --";
  const answers = await Promise.all(
    Array.from({ length: 40 }, (_, i) => runPrepared(stack.orm.em.fork(), ECHO, [i, `${hostile}${i}`])),
  );
  expect(answers.map((rows) => rows[0])).toEqual(
    Array.from({ length: 40 }, (_, i) => ({ n: i, text: `${hostile}${i}` })),
  );
});

test('inside a transaction a prepared statement is refused, naming itself, and writes nothing', async () => {
  const em = stack.orm.em.fork();
  await expect(em.transactional((tx) => runPrepared(tx, STORE, ['refused inside a transaction']))).rejects.toThrow(
    'prepared statement "test-store" runs in a transaction of its own',
  );
  const [{ n }] = await em.execute<[{ n: number }]>(
    `SELECT count(*)::int AS n FROM holiday WHERE name = 'refused inside a transaction'`,
  );
  expect(n).toBe(0);
});

test('declaring two statements under one name is refused at once', () => {
  expect(() => preparedStatement('test-echo', 'SELECT 1')).toThrow('prepared statement "test-echo" is declared twice');
});
