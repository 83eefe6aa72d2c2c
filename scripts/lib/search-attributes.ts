/**
 * Registers the custom search attributes of workflows/search-attributes.ts with a Temporal
 * namespace through the operator service. A workflow started with an attribute the namespace does
 * not know is refused, so every server the product runs against needs them: the dev server gets
 * them as start-up flags (temporal-server.ts), any other server through this.
 */
import { Connection, isGrpcServiceError } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

type IndexedValueType = temporal.api.enums.v1.IndexedValueType;

/** temporal.api.enums.v1.IndexedValueType, by the SDK's name of each type. */
const INDEXED_VALUE_TYPE: Readonly<Record<SearchAttributeType, IndexedValueType>> = {
  TEXT: 1,
  KEYWORD: 2,
  INT: 3,
  DOUBLE: 4,
  BOOL: 5,
  DATETIME: 6,
  KEYWORD_LIST: 7,
};

/** gRPC status ALREADY_EXISTS. */
const ALREADY_EXISTS = 6;

/**
 * Adds every project search attribute that `namespace` lacks and answers the names it added.
 * Idempotent: attributes already registered (by an earlier run, the dev server's flags, another
 * process at the same moment) are left alone. An attribute registered with another type is an
 * error: the workflows could not set it.
 */
export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const existing = new Map(Object.entries(customAttributes ?? {}));
  const added: string[] = [];
  for (const key of SEARCH_ATTRIBUTES) {
    const type = INDEXED_VALUE_TYPE[key.type];
    const found = existing.get(key.name);
    if (found !== undefined) {
      if (found !== type)
        throw new Error(
          `Search attribute ${key.name} is registered in namespace "${namespace}" with another type (${found}); the workflows need ${key.type}.`,
        );
      continue;
    }
    try {
      await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: { [key.name]: type } });
      added.push(key.name);
    } catch (error) {
      // Registered meanwhile by another process: servers before 1.20 refuse a second add (1.29 accepts it).
      if (!isGrpcServiceError(error) || error.code !== ALREADY_EXISTS) throw error;
    }
  }
  return added;
}

/** registerSearchAttributes over a connection of its own to the frontend at `address`. */
export async function registerSearchAttributesAt(address: string, namespace: string): Promise<string[]> {
  const connection = await Connection.connect({ address });
  try {
    return await registerSearchAttributes(connection, namespace);
  } finally {
    await connection.close();
  }
}
