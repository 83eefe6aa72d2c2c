/**
 * `npm run temporal:search-attributes`: registers the workflows' custom search attributes with the
 * namespace at TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE (once per namespace, before the first worker
 * and API start; running it again changes nothing). Needs a server that lets this client call its
 * operator service.
 */
import { loadTemporalTarget } from '../config/config';
import { registerSearchAttributesAt } from './lib/search-attributes';

async function main(): Promise<void> {
  const { TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE } = loadTemporalTarget();
  const added = await registerSearchAttributesAt(TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE);
  console.log(
    added.length > 0
      ? `Registered in namespace "${TEMPORAL_NAMESPACE}" on ${TEMPORAL_ADDRESS}: ${added.join(', ')}.`
      : `Namespace "${TEMPORAL_NAMESPACE}" on ${TEMPORAL_ADDRESS} already has every search attribute.`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
