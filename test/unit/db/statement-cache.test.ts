import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { reusePreparedStatements } from '../../../src/db/sqlite/statement-cache.js';
import { onPostgres, SQLITE_ONLY } from '../../support/core/database-project.js';

let connection: Database.Database | undefined;
afterEach(() => connection?.close());

function openWithReuse(): Database.Database {
  connection = new Database(':memory:');
  reusePreparedStatements(connection);
  connection.exec('create table t (n integer, label text)');
  connection.prepare('insert into t values (?, ?)').run(1, 'one');
  connection.prepare('insert into t values (?, ?)').run(2, 'two');
  return connection;
}

describe.skipIf(onPostgres)(`reusing prepared statements ${SQLITE_ONLY}`, () => {
  it('a statement someone read as arrays still gives rows as objects to the next caller', () => {
    const db = openWithReuse();
    const sql = 'select n, label from t where n = ?';
    // drizzle reads selects with fields this way.
    expect(db.prepare(sql).raw().get(1)).toEqual([1, 'one']);
    expect(db.prepare(sql).get(2)).toEqual({ n: 2, label: 'two' });
  });

  it('the same query can run again while a first run is still being iterated', () => {
    const db = openWithReuse();
    const sql = 'select n from t order by n';
    const pairs: Array<[number, number]> = [];
    for (const outer of db.prepare(sql).iterate() as Iterable<{ n: number }>) {
      for (const inner of db.prepare(sql).all() as Array<{ n: number }>) pairs.push([outer.n, inner.n]);
    }
    expect(pairs).toEqual([
      [1, 1],
      [1, 2],
      [2, 1],
      [2, 2],
    ]);
  });
});
