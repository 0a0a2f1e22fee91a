/**
 * The entries of a level's `responders` list. People are named the way the adapters name actors;
 * groups are looked up on their platform when someone acts (through the directory port):
 *
 * - `slack:U0123` (or `slack:W0123` on Enterprise Grid): one Slack person;
 * - `slack:S0123`: a Slack user group (its members, from `usergroups.users.list`);
 * - `teams:<Entra object id>` (a GUID): one Teams person;
 * - `teams:19:…@thread.tacv2`: a Teams team (its members, from the Bot Connector roster; the bot
 *   must be installed in that team).
 *
 * Entra (Azure AD) security groups look exactly like people (a GUID) and can only be resolved
 * through Microsoft Graph, which Escalator does not call: list Teams people one by one, or a team.
 */
export type Responder = { kind: 'person'; id: string } | { kind: 'group'; id: string };

export const RESPONDER_HINT =
  'use a person (slack:U0123 or teams:<Entra object id>), a Slack user group (slack:S0123) or a Teams team (teams:19:...@thread.tacv2)';

const SLACK_PERSON = /^slack:[UW][A-Z0-9]+$/;
const SLACK_GROUP = /^slack:S[A-Z0-9]+$/;
const TEAMS_PERSON = /^teams:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TEAMS_TEAM = /^teams:19:\S+@thread\.(tacv2|skype)$/;

/** What a `responders` entry stands for, or undefined when it is none of the allowed forms. */
export function responderOf(entry: string): Responder | undefined {
  // Teams gives Entra object ids in lower case; an admin may paste them in upper case.
  if (TEAMS_PERSON.test(entry)) return { kind: 'person', id: entry.toLowerCase() };
  if (SLACK_PERSON.test(entry)) return { kind: 'person', id: entry };
  if (SLACK_GROUP.test(entry) || TEAMS_TEAM.test(entry)) return { kind: 'group', id: entry };
  return undefined;
}
