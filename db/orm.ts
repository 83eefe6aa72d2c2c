import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import path from 'node:path';
import { ENTITIES } from './entities';

/** Where the committed migrations live (source `.ts` for generation; compiled `.js` at run time). */
export const MIGRATIONS_DIR = path.join(__dirname, 'migrations');

export function ormOptions(databaseUrl: string, overrides: Partial<Options> = {}): Options {
  return {
    clientUrl: databaseUrl,
    entities: ENTITIES,
    extensions: [Migrator],
    migrations: {
      path: MIGRATIONS_DIR,
      glob: '!(*.d).{js,ts}',
      transactional: true,
      snapshot: true,
      snapshotName: '.snapshot-baocao',
      emit: 'ts',
    },
    pool: { min: 0, max: 10 },
    debug: false,
    ...overrides,
  };
}

/** Opens the ORM and brings the schema up to date with the committed migrations. */
export async function openDatabase(databaseUrl: string, overrides: Partial<Options> = {}): Promise<MikroORM> {
  const orm = await MikroORM.init(ormOptions(databaseUrl, overrides));
  await orm.migrator.up();
  return orm;
}
