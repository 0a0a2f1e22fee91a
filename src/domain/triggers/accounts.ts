/**
 * Listed accounts of the high-value trigger. An entry's `match` is one of: an e-mail domain
 * (`acme.com`, which also covers its subdomains), a Slack team id (`T0123ABC`, the customer's own
 * workspace in Slack Connect), a Microsoft Entra tenant id (a GUID), or one person's prefixed user id
 * (`slack:U0123`, `teams:29:…`).
 */
import type { HighValueAccount } from '../policy.js';
import type { MessageContext } from './types.js';

export type AccountMatchKind = 'domain' | 'slackTeam' | 'tenant' | 'user';

export const ACCOUNT_MATCH_HINT =
  'use an e-mail domain (acme.com), a Slack team id (T0123ABC), a Microsoft tenant id (a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47) or a prefixed user id (slack:U0123, teams:29:...)';

const DOMAIN = /^(?=.{3,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/i;
const SLACK_TEAM = /^[TE][A-Z0-9]{2,}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const USER = /^(?:slack|teams):\S+$/;

/** What kind of account match a policy entry is; undefined when it is none of the allowed forms. */
export function accountMatchKind(match: string): AccountMatchKind | undefined {
  if (USER.test(match)) return 'user';
  if (GUID.test(match)) return 'tenant';
  if (SLACK_TEAM.test(match)) return 'slackTeam';
  if (DOMAIN.test(match)) return 'domain';
  return undefined;
}

export interface AccountHit {
  account: HighValueAccount;
  kind: AccountMatchKind;
  /** How the author matched, in plain words: `e-mail domain of ann@eu.acme.com`. */
  how: string;
}

/** Strips a `slack:`/`teams:` prefix an adapter may have put on a team or tenant id. */
const bareId = (id: string) => id.replace(/^(?:slack|teams):/, '');

/** The first listed account the message's author belongs to. */
export function matchAccount(
  message: Pick<MessageContext, 'authorId' | 'authorTeamId' | 'authorEmail'>,
  accounts: readonly HighValueAccount[],
): AccountHit | undefined {
  const email = typeof message.authorEmail === 'string' ? message.authorEmail.trim().toLowerCase() : '';
  const emailDomain = email.includes('@') ? email.slice(email.lastIndexOf('@') + 1) : '';
  const team = typeof message.authorTeamId === 'string' ? bareId(message.authorTeamId.trim()) : '';
  for (const account of accounts) {
    const match = account.match.trim();
    const kind = accountMatchKind(match);
    if (kind === 'user' && message.authorId === match) {
      return { account, kind, how: `user ${match}` };
    }
    if (kind === 'tenant' && team !== '' && team.toLowerCase() === match.toLowerCase()) {
      return { account, kind, how: `Microsoft tenant ${team}` };
    }
    if (kind === 'slackTeam' && team === match) {
      return { account, kind, how: `Slack team ${team}` };
    }
    if (kind === 'domain' && emailDomain !== '') {
      const domain = match.toLowerCase();
      if (emailDomain === domain || emailDomain.endsWith(`.${domain}`)) {
        return { account, kind, how: `e-mail domain of ${email}` };
      }
    }
  }
  return undefined;
}
