/** The pool's settings read from `DATABASE_URL`, and the URL pg itself should see. */
export interface PostgresConnection {
  /** The URL without Escalator's own parameters (`sslmode` and the rest stay for pg). */
  connectionString: string;
  poolSize: number;
  statementTimeoutMs: number;
}

export const DEFAULT_POOL_SIZE = 10;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 15_000;

/** Escalator's own URL parameters: pg would not apply them, and the server refuses unknown settings. */
const OWN_PARAMS = [
  { name: 'pool', fallback: DEFAULT_POOL_SIZE, min: 1 },
  { name: 'statement_timeout', fallback: DEFAULT_STATEMENT_TIMEOUT_MS, min: 0 },
] as const;

/** Whether `url` names a PostgreSQL database (`postgres://…` or `postgresql://…`). */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** `url` fit for a log line: a PostgreSQL password is masked; anything else is shown as given. */
export function redactedDatabaseUrl(url: string): string {
  if (!isPostgresUrl(url) || !URL.canParse(url)) return url;
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/**
 * What is wrong with a PostgreSQL `DATABASE_URL`, if anything. Never quotes the URL: it may hold a
 * password.
 */
export function postgresUrlProblem(databaseUrl: string): string | undefined {
  if (!URL.canParse(databaseUrl)) {
    return 'is not a valid URL: use postgres://user:password@host:5432/database (percent-encode special characters in the password)';
  }
  const params = new URL(databaseUrl).searchParams;
  for (const { name, fallback, min } of OWN_PARAMS) {
    const text = params.get(name);
    if (text !== null && !(/^\d+$/.test(text) && Number(text) >= min)) {
      return `${name}=${text} is not allowed: use a whole number of at least ${min} (default ${fallback})`;
    }
  }
  return undefined;
}

/**
 * Splits `postgres://user:pass@host/db?pool=10&statement_timeout=5000&sslmode=require` into the
 * pool size, the statement timeout (ms) and the URL for pg.
 */
export function parsePostgresUrl(databaseUrl: string): PostgresConnection {
  const problem = postgresUrlProblem(databaseUrl);
  if (problem) throw new Error(`DATABASE_URL: ${problem}`);
  const url = new URL(databaseUrl);
  const [poolSize, statementTimeoutMs] = OWN_PARAMS.map(({ name, fallback }) => {
    const text = url.searchParams.get(name);
    url.searchParams.delete(name);
    return text === null ? fallback : Number(text);
  }) as [number, number];
  return { connectionString: url.toString(), poolSize, statementTimeoutMs };
}
