import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { parsePostgresUrl } from '../../src/db/postgres/postgres-url.js';

/**
 * The PostgreSQL server `npm run bench -- --database postgres://…` runs on. The URL names the
 * server and a database to connect to for CREATE DATABASE; every run gets a database of its own
 * there, never that one. Escalator's own parameters (`?pool=…`) stay on the URLs handed out, so
 * the store under test gets them; the connections made here drop them (the server refuses them).
 */

export interface BenchDatabase {
  name: string;
  /** Its DATABASE_URL: the server's URL with the database name replaced. */
  url: string;
  /** Drops it, disconnecting whoever is still connected. Safe to call twice. */
  drop(): Promise<void>;
}

/** Unique per benchmark process, so two runs on one server never meet. */
const RUN_PREFIX = `escalator_bench_${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`;
let created = 0;

/**
 * A new database on the server: empty (the store migrates it when it opens), or a copy of
 * `template`. A copy is a file-level clone of the template's tables and indexes, seconds for a
 * million rows where loading them again takes a minute; the template must have no connections.
 */
export async function createDatabase(
  serverUrl: string,
  label: string,
  template?: BenchDatabase,
): Promise<BenchDatabase> {
  created += 1;
  const name = `${RUN_PREFIX}_${created}_${label.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}`.slice(0, 63);
  await onServer(serverUrl, (client) =>
    client.query(
      `create database ${client.escapeIdentifier(name)}${template ? ` template ${client.escapeIdentifier(template.name)}` : ''}`,
    ),
  );
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropping: Promise<void> | undefined;
  return {
    name,
    url: url.toString(),
    drop() {
      dropping ??= onServer(serverUrl, async (client) => {
        await client.query(`drop database if exists ${client.escapeIdentifier(name)} with (force)`);
      });
      return dropping;
    },
  };
}

/** "PostgreSQL 15.20 at 127.0.0.1:5432", for the header of the results. */
export async function describeServer(serverUrl: string): Promise<string> {
  const { rows } = await onServer(serverUrl, (client) =>
    client.query<{ server_version: string }>('show server_version'),
  );
  return `PostgreSQL ${rows[0]!.server_version.split(' ')[0]} at ${new URL(serverUrl).host}`;
}

/** One connection to `url` (a server or database URL) for `use`, closed afterwards. */
export async function onServer<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    connectionString: parsePostgresUrl(url).connectionString,
    application_name: 'escalator-bench',
  });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
