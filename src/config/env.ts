/**
 * Environment variables -> typed `Env`. This is the only file that knows variable names; it never
 * reads `process.env` itself (the caller passes the source), so tests can pass a plain object.
 * Every problem names the variable and says what to fix; all problems are reported at once.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { isPostgresUrl, postgresUrlProblem } from '../db/postgres/postgres-url.js';
import { ConfigError } from './config-error.js';
import { DURATION_HINT, parseDuration } from './duration.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const TEAMS_APP_TYPES = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'] as const;
export type TeamsAppType = (typeof TEAMS_APP_TYPES)[number];

export interface SlackEnv {
  botToken: string;
  signingSecret: string;
  /** Set: Socket Mode; unset: HTTP mode (Events API posts to `/slack/events`). */
  appToken?: string;
  /** Web API base URL, always ending in `/`. */
  apiUrl: string;
}

export interface TeamsEnv {
  /** Unset only when `allowUnauthenticated` is true. */
  appId?: string;
  /** Unset when `allowUnauthenticated` is true, or for `UserAssignedMSI` (managed identity, no secret). */
  appPassword?: string;
  /** Required for `SingleTenant` and `UserAssignedMSI`. */
  tenantId?: string;
  appType: TeamsAppType;
  /** No app id and no token checks: for local tests only. */
  allowUnauthenticated: boolean;
}

/** An OpenAI-compatible chat-completions endpoint that writes the narrative summary on cards. */
export interface SummaryEnv {
  /** As given: a base URL such as `https://api.openai.com/v1`, or the full `…/chat/completions` URL. */
  apiUrl: string;
  model: string;
  apiKey?: string;
  /** How long one call may take before the card keeps its extractive summary (retried a few times). */
  timeoutMs: number;
}

export interface Env {
  port: number;
  databaseUrl: string;
  /** Absolute path of the escalation policy file. */
  policyFile: string;
  /** Present only when the Slack adapter is enabled. */
  slack?: SlackEnv;
  /** Present only when the Teams adapter is enabled. */
  teams?: TeamsEnv;
  /** Present only when an AI summary endpoint is configured (URL and model). */
  summary?: SummaryEnv;
  /**
   * Where the simulated local workspace is served: `/` when no platform is configured (try it
   * without credentials), `/local` when `LOCAL_WORKSPACE=true` alongside a platform, else off.
   */
  localWorkspace?: '/' | '/local';
  /**
   * Protects `/dashboard` (and the local workspace) with a token; without it they answer only
   * requests from this machine (127.0.0.1 and ::1).
   */
  dashboardToken?: string;
  logLevel: LogLevel;
}

const DEFAULT_POLICY_FILE = 'escalation-policy.example.yaml';

const DEFAULT_SUMMARY_TIMEOUT = '8s';
const MAX_SUMMARY_TIMEOUT_MS = 10 * 60_000;

/** `8s`, `1m` (the usual durations) or `500ms`; undefined when it is none of those or out of range. */
function summaryTimeoutMs(text: string): number | undefined {
  const ms = /^[1-9][0-9]{0,6}ms$/.test(text) ? Number.parseInt(text, 10) : safeDuration(text);
  return ms !== undefined && ms <= MAX_SUMMARY_TIMEOUT_MS ? ms : undefined;
}

function safeDuration(text: string): number | undefined {
  try {
    return parseDuration(text);
  } catch {
    return undefined;
  }
}

/** Shows a value the admin typed. Only for non-secret variables: tokens are never echoed. */
const shown = (input: unknown) => JSON.stringify(input);

/**
 * SQLite (`file:<path>`, or a bare path) or PostgreSQL (`postgres://…`); any other scheme is a
 * mistake worth stopping for. The URL is never echoed: a PostgreSQL one may hold a password.
 */
function databaseUrlProblem(url: string): string | undefined {
  if (isPostgresUrl(url)) return postgresUrlProblem(url);
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(url)?.[1];
  if (!scheme || scheme.toLowerCase() === 'file') return undefined;
  return `${scheme}: is not a supported scheme: use file:<path> for SQLite (default file:./data/escalator.db) or postgres://user:password@host:5432/database for PostgreSQL`;
}

// Each variable's own format; the rules that tie variables together are in `relationProblems`.
const schema = z.object({
  PORT: z
    .string()
    .refine((text) => /^\d{1,5}$/.test(text) && Number(text) <= 65_535, {
      error: (iss) => `${shown(iss.input)} is not a port: use a whole number from 0 to 65535 (default 3000)`,
    })
    .transform(Number)
    .default(3000),
  DATABASE_URL: z
    .string()
    .refine((url) => databaseUrlProblem(url) === undefined, {
      error: (iss) => databaseUrlProblem(iss.input as string),
    })
    .default('file:./data/escalator.db'),
  POLICY_FILE: z.string().default(DEFAULT_POLICY_FILE),
  SLACK_BOT_TOKEN: z
    .string()
    .startsWith('xoxb-', {
      error:
        'must start with xoxb-: use the Bot User OAuth Token from the Slack app page "OAuth & Permissions"',
    })
    .optional(),
  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_APP_TOKEN: z
    .string()
    .startsWith('xapp-', {
      error:
        'must start with xapp-: use an app-level token with the connections:write scope (Basic Information)',
    })
    .optional(),
  SLACK_API_URL: z
    .url({
      protocol: /^https?$/,
      error: (iss) => `${shown(iss.input)} is not an http(s) URL: use e.g. https://slack.com/api/`,
    })
    .default('https://slack.com/api/'),
  TEAMS_APP_ID: z.string().optional(),
  TEAMS_APP_PASSWORD: z.string().optional(),
  TEAMS_APP_TENANT_ID: z.string().optional(),
  TEAMS_APP_TYPE: z
    .enum(TEAMS_APP_TYPES, {
      error: (iss) =>
        `${shown(iss.input)} is not allowed: use ${TEAMS_APP_TYPES.join(', ')} (default MultiTenant)`,
    })
    .default('MultiTenant'),
  TEAMS_ALLOW_UNAUTHENTICATED: z
    .enum(['true', 'false'], { error: (iss) => `${shown(iss.input)} is not allowed: use true or false` })
    .transform((v) => v === 'true')
    .default(false),
  SUMMARY_API_URL: z
    .url({
      protocol: /^https?$/,
      error: (iss) =>
        `${shown(iss.input)} is not an http(s) URL: use an OpenAI-compatible endpoint, e.g. https://api.openai.com/v1`,
    })
    .optional(),
  SUMMARY_MODEL: z.string().optional(),
  SUMMARY_API_KEY: z.string().optional(),
  SUMMARY_TIMEOUT: z
    .string()
    .refine((text) => summaryTimeoutMs(text) !== undefined, {
      error: (iss) =>
        `${shown(iss.input)} is not a timeout: ${DURATION_HINT} (or ms, such as 500ms), at most 10m (default ${DEFAULT_SUMMARY_TIMEOUT})`,
    })
    .transform((text) => summaryTimeoutMs(text) as number)
    .default(() => summaryTimeoutMs(DEFAULT_SUMMARY_TIMEOUT) as number),
  LOCAL_WORKSPACE: z
    .enum(['true', 'false'], {
      error: (iss) =>
        `${shown(iss.input)} is not allowed: use true or false (default: on only when no platform is configured)`,
    })
    .optional(),
  DASHBOARD_TOKEN: z
    .string()
    .min(16, {
      error:
        'is too short: use at least 16 random characters (for example the output of `openssl rand -hex 24`), or unset it to allow only this machine',
    })
    .optional(),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, {
      error: (iss) => `${shown(iss.input)} is not a log level: use ${LOG_LEVELS.join(', ')} (default info)`,
    })
    .default('info'),
});

type Raw = z.infer<typeof schema>;
type Names = keyof Raw;

/** The variables this file reads, with blank values turned into "unset" (as a blank line in .env means). */
function clean(source: Record<string, string | undefined>): Partial<Record<Names, string>> {
  const out: Partial<Record<Names, string>> = {};
  for (const name of Object.keys(schema.shape) as Names[]) {
    const value = source[name]?.trim();
    if (value) out[name] = value;
  }
  return out;
}

/** Rules between variables, checked on the cleaned strings so they run even when a format is wrong. */
function relationProblems(raw: Partial<Record<Names, string>>): string[] {
  const problems: string[] = [];
  const { SLACK_BOT_TOKEN: bot, SLACK_SIGNING_SECRET: secret, SLACK_APP_TOKEN: app } = raw;
  if (bot && !secret) {
    problems.push(
      'SLACK_SIGNING_SECRET: is missing but SLACK_BOT_TOKEN is set: set it (Basic Information > App Credentials) or unset SLACK_BOT_TOKEN to disable Slack',
    );
  }
  if (secret && !bot) {
    problems.push(
      'SLACK_BOT_TOKEN: is missing but SLACK_SIGNING_SECRET is set: set it (OAuth & Permissions > Bot User OAuth Token) or unset SLACK_SIGNING_SECRET to disable Slack',
    );
  }
  if (app && !bot && !secret) {
    problems.push(
      'SLACK_APP_TOKEN: only works with SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET: set those too, or unset SLACK_APP_TOKEN',
    );
  }

  const { TEAMS_APP_ID: id, TEAMS_APP_PASSWORD: password, TEAMS_APP_TENANT_ID: tenant } = raw;
  const type = raw.TEAMS_APP_TYPE ?? 'MultiTenant';
  // A user-assigned managed identity has no password; every other app type needs one.
  const needsPassword = type !== 'UserAssignedMSI';
  if (id && !password && needsPassword) {
    problems.push(
      'TEAMS_APP_PASSWORD: is missing but TEAMS_APP_ID is set: set the client secret of the bot registration, or unset TEAMS_APP_ID to disable Teams',
    );
  }
  if (password && !id) {
    problems.push(
      'TEAMS_APP_ID: is missing but TEAMS_APP_PASSWORD is set: set the Microsoft App ID of the bot, or unset TEAMS_APP_PASSWORD to disable Teams',
    );
  }
  if (id && (type === 'SingleTenant' || type === 'UserAssignedMSI') && !tenant) {
    problems.push(
      `TEAMS_APP_TENANT_ID: is required when TEAMS_APP_TYPE is ${type}: set the Entra ID tenant id`,
    );
  }

  const { SUMMARY_API_URL: url, SUMMARY_MODEL: model } = raw;
  if (url && !model) {
    problems.push(
      'SUMMARY_MODEL: is missing but SUMMARY_API_URL is set: set the model the endpoint serves (e.g. gpt-4o-mini), or unset SUMMARY_API_URL to turn the AI summary off',
    );
  }
  if (model && !url) {
    problems.push(
      'SUMMARY_API_URL: is missing but SUMMARY_MODEL is set: set the OpenAI-compatible endpoint (e.g. https://api.openai.com/v1), or unset SUMMARY_MODEL to turn the AI summary off',
    );
  }
  if (!url && !model) {
    for (const name of ['SUMMARY_API_KEY', 'SUMMARY_TIMEOUT'] as const) {
      if (raw[name]) {
        problems.push(
          `${name}: only works with SUMMARY_API_URL and SUMMARY_MODEL: set those too, or unset ${name}`,
        );
      }
    }
  }
  return problems;
}

function formatProblems(raw: Partial<Record<Names, string>>, error: z.ZodError | undefined): string[] {
  const problems = (error?.issues ?? []).map((issue) => {
    const name = String(issue.path[0]);
    return `${name}: ${issue.message}`;
  });
  return [...problems, ...relationProblems(raw)];
}

/** Validates the environment and returns the typed `Env`, or throws a `ConfigError` listing every problem. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const raw = clean(source);
  const result = schema.safeParse(raw);
  const problems = formatProblems(raw, result.error);
  if (problems.length > 0 || !result.data)
    throw new ConfigError('Environment variables are invalid:', problems);
  return toEnv(result.data);
}

function toEnv(raw: Raw): Env {
  const env: Env = {
    port: raw.PORT,
    databaseUrl: raw.DATABASE_URL,
    // Relative to where the service is started, as a shell user would expect.
    policyFile: resolve(process.cwd(), raw.POLICY_FILE),
    logLevel: raw.LOG_LEVEL,
  };
  if (raw.SLACK_BOT_TOKEN && raw.SLACK_SIGNING_SECRET) {
    env.slack = {
      botToken: raw.SLACK_BOT_TOKEN,
      signingSecret: raw.SLACK_SIGNING_SECRET,
      ...(raw.SLACK_APP_TOKEN ? { appToken: raw.SLACK_APP_TOKEN } : {}),
      // Slack's Web API client joins method names onto this base, so it must end in a slash.
      apiUrl: raw.SLACK_API_URL.endsWith('/') ? raw.SLACK_API_URL : `${raw.SLACK_API_URL}/`,
    };
  }
  if (raw.TEAMS_APP_ID || raw.TEAMS_ALLOW_UNAUTHENTICATED) {
    env.teams = {
      ...(raw.TEAMS_APP_ID ? { appId: raw.TEAMS_APP_ID } : {}),
      ...(raw.TEAMS_APP_PASSWORD ? { appPassword: raw.TEAMS_APP_PASSWORD } : {}),
      ...(raw.TEAMS_APP_TENANT_ID ? { tenantId: raw.TEAMS_APP_TENANT_ID } : {}),
      appType: raw.TEAMS_APP_TYPE,
      allowUnauthenticated: raw.TEAMS_ALLOW_UNAUTHENTICATED,
    };
  }
  const platforms = Boolean(env.slack || env.teams);
  // Without credentials the local workspace is the front page; with them it is opt-in (and can be turned off).
  if (raw.LOCAL_WORKSPACE === 'true') env.localWorkspace = platforms ? '/local' : '/';
  else if (raw.LOCAL_WORKSPACE === undefined && !platforms) env.localWorkspace = '/';
  if (raw.DASHBOARD_TOKEN) env.dashboardToken = raw.DASHBOARD_TOKEN;
  if (raw.SUMMARY_API_URL && raw.SUMMARY_MODEL) {
    env.summary = {
      apiUrl: raw.SUMMARY_API_URL,
      model: raw.SUMMARY_MODEL,
      ...(raw.SUMMARY_API_KEY ? { apiKey: raw.SUMMARY_API_KEY } : {}),
      timeoutMs: raw.SUMMARY_TIMEOUT,
    };
  }
  return env;
}
