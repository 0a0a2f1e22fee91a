import { type DestinationStream, destination, type Logger, pino, stdSerializers } from 'pino';
import type { Env, LogLevel } from '../config/env.js';
import type { Policy } from '../domain/policy.js';
import { fieldRedactor } from './redact-fields.js';

/** What a secret reads as in the logs. */
export const REDACTED = '[redacted]';

/**
 * Keys whose value is a credential wherever it sits in a logged object: config objects (ours and
 * the SDKs'), HTTP headers in either case, OAuth bodies, Slack payloads (`token` is the legacy
 * verification token) and the environment itself.
 */
export const SECRET_KEYS = [
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'id_token',
  'botToken',
  'bot_token',
  'appToken',
  'app_token',
  'password',
  'appPassword',
  'MicrosoftAppPassword',
  'secret',
  'clientSecret',
  'client_secret',
  'signingSecret',
  'signing_secret',
  'apiKey',
  'api_key',
  'authorization',
  'Authorization',
  'proxy-authorization',
  'cookie',
  'Cookie',
  'set-cookie',
  'x-api-key',
  'x-slack-signature',
  'x-escalator-signature',
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'TEAMS_APP_PASSWORD',
  'SUMMARY_API_KEY',
] as const;

/** How deep under a logged field a secret key is still found (`err.original.config.headers.Authorization` is 5). */
const REDACT_DEPTH = 7;

/** Every secret key at the top of a logged object and under up to REDACT_DEPTH - 1 levels of fields. */
const FIELDS = fieldRedactor(SECRET_KEYS, REDACT_DEPTH, REDACTED);
/** Left to the error serializer, which needs the Error itself (its output is redacted then). */
const ERROR_KEYS: ReadonlySet<string> = new Set(['err', 'error']);

/** Values shorter than this are not searched for in log text: they would blank ordinary words. */
const MIN_SECRET_LENGTH = 6;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Cleans one serialized log line of secrets that path redaction cannot see because they sit inside
 * text: SDK messages (Bolt and Socket Mode log whole payloads as strings at debug level), error
 * messages, raw HTTP headers (`request._header`), form bodies (`client_secret=…`).
 */
export function lineScrubber(secrets: Iterable<string | undefined>): (line: string) => string {
  const known = [...new Set([...secrets].filter((s): s is string => !!s && s.length >= MIN_SECRET_LENGTH))]
    // Longest first, so a secret that contains another is replaced whole; as JSON escapes them.
    .sort((a, b) => b.length - a.length)
    .map((s) => JSON.stringify(s).slice(1, -1));
  const keys = SECRET_KEYS.map(escapeRegExp).join('|');
  const patterns: Array<[RegExp, string]> = [
    // Slack bot, user, app-level and configuration tokens.
    [/\bxox[a-z]-[A-Za-z0-9-]+/g, REDACTED],
    [/\bxapp-[A-Za-z0-9-]+/g, REDACTED],
    // Authorization header values written out as text (long enough not to be an English word).
    [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${REDACTED}`],
    // `"token":"…"` inside JSON that was logged as a string (it arrives here escaped: \"token\":\"…\").
    [new RegExp(`(\\\\+"(?:${keys})\\\\+"\\s*:\\s*\\\\+")[^"\\\\]*`, 'g'), `$1${REDACTED}`],
    // Form bodies and query strings: client_secret=…, access_token=…
    [
      /\b(client_secret|access_token|refresh_token|id_token|token|api_key|apikey|password)=[^&\s"\\]+/gi,
      `$1=${REDACTED}`,
    ],
  ];
  return (line) => {
    let clean = line;
    for (const secret of known) clean = clean.replaceAll(secret, REDACTED);
    for (const [pattern, replacement] of patterns) clean = clean.replace(pattern, replacement);
    return clean;
  };
}

/** Every secret value the configuration holds: tokens, passwords, API keys, webhook secrets. */
export function configSecrets(
  env: Env,
  policy: Policy,
  secret: (name: string) => string | undefined,
): string[] {
  const webhookSecrets = Object.values(policy.paths)
    .flatMap((path) => path.levels)
    .map((level) => level.webhook?.secretEnv)
    .filter((name): name is string => name !== undefined)
    .map(secret);
  return [
    env.slack?.botToken,
    env.slack?.signingSecret,
    env.slack?.appToken,
    env.teams?.appPassword,
    env.summary?.apiKey,
    ...webhookSecrets,
  ].filter((value): value is string => value !== undefined);
}

export interface LoggerOptions {
  level: LogLevel;
  /** Secret values to blank wherever they appear, even inside text (see `configSecrets`). */
  secrets?: Iterable<string | undefined>;
  /** Where lines go; standard output by default. Tests pass a stream to read them. */
  destination?: DestinationStream;
}

/**
 * The service's JSON logger. Two layers keep credentials out of the logs: fields named like secrets
 * (SECRET_KEYS) are redacted in logged objects, and every line is scrubbed of the configured
 * secret values and of token shapes inside text before it is written.
 */
export function createLogger(options: LoggerOptions): Logger {
  const scrub = lineScrubber(options.secrets ?? []);
  // Errors logged as `error` (this codebase's habit) get pino's error serializer too, then redaction.
  const error = (value: unknown) => FIELDS.redact(stdSerializers.err(value as Error), { level: 1 });
  const logger = pino(
    {
      level: options.level,
      base: { service: 'escalator' },
      formatters: { log: (object) => FIELDS.redact(object, { leave: ERROR_KEYS }) },
      serializers: { err: error, error },
      hooks: { streamWrite: scrub },
    },
    options.destination ?? destination({ dest: 1, sync: true }),
  );
  // A child's bindings are written once, when it is made, and pino formats no child's bindings:
  // they are redacted on the way in. Children inherit this from the root (and so do theirs).
  const makeChild = logger.child;
  logger.child = function (this: Logger, bindings, childOptions) {
    return makeChild.call(this, FIELDS.redact(bindings, { leave: ERROR_KEYS }), childOptions);
  } as typeof logger.child;
  return logger;
}
