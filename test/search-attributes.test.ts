/**
 * Registering the workflows' search attributes on a Temporal server that was started without them
 * (as `npm start` does with TEMPORAL_ADDRESS, and `npm run temporal:search-attributes` for a
 * cluster): a fresh dev server of the file's own, started without the flags.
 */
import { Client, Connection } from '@temporalio/client';
import { registerSearchAttributes, registerSearchAttributesAt } from '../scripts/lib/search-attributes';
import { startTemporalDevServer, type DevServer } from '../scripts/temporal-server';
import { CAMPAIGN, PERIOD, SEARCH_ATTRIBUTES, STAGE, UNIT } from '../workflows/search-attributes';

const KEYWORD = 2; // temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD
const NAMESPACE = 'default';

let server: DevServer;
let connection: Connection;
let client: Client;
beforeAll(async () => {
  server = await startTemporalDevServer({ searchAttributes: false, namespace: NAMESPACE });
  connection = await Connection.connect({ address: server.address });
  client = new Client({ connection, namespace: NAMESPACE });
}, 90_000);
afterAll(async () => {
  await connection?.close();
  await server?.stop();
});

const customAttributes = async (): Promise<Record<string, number>> =>
  (await connection.operatorService.listSearchAttributes({ namespace: NAMESPACE })).customAttributes as Record<
    string,
    number
  >;

/** Starts (and terminates) a workflow carrying every project search attribute: the server refuses one it does not know. */
async function startWithSearchAttributes(id: string): Promise<void> {
  const handle = await client.workflow.start('unitWorkflow', {
    taskQueue: 'nobody-polls-this',
    workflowId: id,
    args: [],
    typedSearchAttributes: [
      { key: CAMPAIGN, value: 'demo' },
      { key: PERIOD, value: '2026-12' },
      { key: UNIT, value: 'U-1' },
      { key: STAGE, value: 'collecting' },
    ],
  });
  await handle.terminate('test');
}

test('when the server lacks the search attributes, a workflow carrying them is refused until they are registered, then starts', async () => {
  const before = await customAttributes();
  for (const key of SEARCH_ATTRIBUTES) expect(before).not.toHaveProperty([key.name]);
  const refused = await startWithSearchAttributes('before-registration').then(
    () => undefined,
    (error: unknown) => error as Error & { cause?: { details?: string } },
  );
  expect(refused?.cause?.details).toMatch(/no mapping defined for search attribute Baocao/);

  // One of them registered by hand beforehand: the others are added, that one left alone.
  await connection.operatorService.addSearchAttributes({
    namespace: NAMESPACE,
    searchAttributes: { [STAGE.name]: KEYWORD },
  });
  const added = await registerSearchAttributesAt(server.address, NAMESPACE);
  expect(added.sort()).toEqual([CAMPAIGN.name, PERIOD.name, UNIT.name].sort());

  const after = await customAttributes();
  for (const key of SEARCH_ATTRIBUTES)
    expect({ name: key.name, type: after[key.name] }).toEqual({ name: key.name, type: KEYWORD });
  await startWithSearchAttributes('after-registration');
});

test('when every search attribute is registered, registering again adds nothing and does not fail', async () => {
  await registerSearchAttributes(connection, NAMESPACE);
  const before = await customAttributes();
  await expect(registerSearchAttributes(connection, NAMESPACE)).resolves.toEqual([]);
  await expect(registerSearchAttributesAt(server.address, NAMESPACE)).resolves.toEqual([]);
  expect(await customAttributes()).toEqual(before);
});

test('when the namespace does not exist, registration fails naming it', async () => {
  await expect(registerSearchAttributes(connection, 'no-such-namespace')).rejects.toThrow(/no-such-namespace/);
});
