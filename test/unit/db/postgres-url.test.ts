import { describe, expect, it } from 'vitest';
import { isPostgresUrl, openStore, redactedDatabaseUrl } from '../../../src/db/open-store.js';
import { parsePostgresUrl } from '../../../src/db/postgres/postgres-url.js';

describe('DATABASE_URL for PostgreSQL', () => {
  it('names PostgreSQL by its scheme only', () => {
    expect(isPostgresUrl('postgres://db/escalator')).toBe(true);
    expect(isPostgresUrl('postgresql://db/escalator')).toBe(true);
    expect(isPostgresUrl('file:./data/escalator.db')).toBe(false);
    expect(isPostgresUrl('file:./postgres://odd.db')).toBe(false);
  });

  it('takes pool and statement_timeout out of the URL and leaves the rest (sslmode) for pg', () => {
    expect(
      parsePostgresUrl('postgres://app:pw@db:5432/escalator?pool=3&sslmode=require&statement_timeout=100'),
    ).toEqual({
      connectionString: 'postgres://app:pw@db:5432/escalator?sslmode=require',
      poolSize: 3,
      statementTimeoutMs: 100,
    });
  });

  it('defaults to a pool of 10 and a 15 s statement timeout', () => {
    expect(parsePostgresUrl('postgresql://db/escalator')).toEqual({
      connectionString: 'postgresql://db/escalator',
      poolSize: 10,
      statementTimeoutMs: 15_000,
    });
  });

  it('refuses a pool that is not a positive whole number, without showing the password', async () => {
    const url = 'postgres://app:s3cret@db/escalator?pool=many';
    expect(() => parsePostgresUrl(url)).toThrow('DATABASE_URL: pool=many is not allowed');
    await expect(openStore(url)).rejects.toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('s3cret') }),
    );
  });

  it('masks the password when the URL is logged', () => {
    expect(redactedDatabaseUrl('postgres://app:s3cret@db:5432/escalator?sslmode=require')).toBe(
      'postgres://app:***@db:5432/escalator?sslmode=require',
    );
    expect(redactedDatabaseUrl('file:./data/escalator.db')).toBe('file:./data/escalator.db');
  });
});
