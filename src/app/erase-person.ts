import { randomBytes } from 'node:crypto';
import type { StoredText } from '../ports/data-protection.js';
import type { Repositories, Store } from '../ports/store.js';
import { eventsWithWords, WORDS_REMOVED, withoutWords } from './escalation-words.js';

/**
 * What is wrong with a person id given to `npm run erase`, said as what to type instead;
 * undefined when it is a person id Escalator stores: `slack:U…` / `slack:W…` (Slack user ids) or
 * `teams:<Entra object id>` / `teams:29:…` (Teams users without an Entra id), or a local workspace
 * persona (`local:U…`, whose simulated messages are Escalator's own to delete).
 */
export function personIdProblem(id: string): string | undefined {
  const teams = /^teams:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|29:[A-Za-z0-9_-]+)$/i;
  if (/^(slack:[UW]|local:U)[A-Z0-9]{2,}$/.test(id) || teams.test(id)) return undefined;
  const example = 'such as slack:U0123ABCD or teams:00000000-0000-0000-0000-000000000000';
  if (id.startsWith('slack:')) {
    const local = id.slice('slack:'.length);
    if (/^[CGD][A-Z0-9]+$/.test(local)) {
      return `"${id}" is a Slack channel, not a person: give the user id (profile → ⋯ → Copy member ID, it starts with U or W), e.g. slack:U0123ABCD`;
    }
    return `"${id}" is not a Slack user id: after slack: comes the member id, capital letters and digits starting with U or W, e.g. slack:U0123ABCD`;
  }
  if (id.startsWith('teams:')) {
    return `"${id}" is not a Teams user id: give teams: and the person's Entra object id (a GUID, e.g. teams:00000000-0000-0000-0000-000000000000) or their Bot Framework id (teams:29:…)`;
  }
  return `"${id}" does not say its platform: write slack:<member id> or teams:<Entra object id>, ${example}`;
}

/** What an erasure removed (or, in a dry run, would remove). */
export interface ErasureReport {
  personId: string;
  /** What the person's id was replaced with, so their steps still count in every figure. */
  pseudonym: string;
  dryRun: boolean;
  /** Threads they opened, were the customer of or wrote in. */
  issues: number;
  /** Rows deleted, per table. */
  deleted: Record<string, number>;
  /** Escalations whose words were removed because they quote the person as the customer. */
  escalationsWithoutWords: number;
  /** Audit event details removed with them. */
  eventDetails: number;
  /** Stored values changed, per `table.column`: ids replaced by the pseudonym, mentions, name, e-mail. */
  rewritten: Record<string, number>;
}

/** Thrown inside the transaction of a dry run so everything it did is rolled back. */
class DryRun extends Error {
  constructor(readonly report: ErasureReport) {
    super('dry run');
  }
}

/**
 * Erases one person, in one transaction: their messages and directory entry (name, e-mail) are
 * deleted; where they were the customer, the escalations of their threads lose the words that
 * quote them (as retention would do) and the delivered cards and trigger hits of those threads go;
 * everywhere else their id (issues, escalations, audit events, CSAT answers, mentions in texts) is
 * replaced by a random pseudonym, so issues, escalations, events, CSAT scores and every digest
 * figure stay. A dry run does all of it and rolls back, so its counts are exactly the real ones.
 */
export async function erasePerson(
  store: Store,
  input: { personId: string; now: Date; dryRun?: boolean; pseudonym?: string },
): Promise<ErasureReport> {
  const problem = personIdProblem(input.personId);
  if (problem) throw new Error(problem);
  const pseudonym = input.pseudonym ?? `erased:${randomBytes(6).toString('hex')}`;
  try {
    return await store.transaction(async (tx) => {
      const report = await erase(tx, input.personId, pseudonym, input.now);
      if (input.dryRun) throw new DryRun({ ...report, dryRun: true });
      return report;
    });
  } catch (error) {
    if (error instanceof DryRun) return error.report;
    throw error;
  }
}

async function erase(tx: Repositories, personId: string, pseudonym: string, now: Date) {
  const name = (await tx.people.names([personId])).get(personId);
  const email = await tx.people.email(personId);
  const touched = await tx.erasure.issuesOf(personId);
  const asCustomer = touched.filter((t) => t.asCustomer).map((t) => t.issueId);

  let eventDetails = 0;
  const quoting = await tx.erasure.listEscalationsOf(asCustomer);
  for (const escalation of quoting) {
    const clear = eventsWithWords(await tx.events.listForEscalation(escalation.id));
    await tx.retention.replaceEscalationWords(escalation.id, withoutWords(escalation), clear, now);
    eventDetails += clear.length;
  }
  const deleted = {
    messages: await tx.erasure.deleteMessagesBy(personId),
    people: await tx.erasure.deletePerson(personId),
    outbox: await tx.erasure.deleteSettledOutboxOf(touched.map((t) => t.issueId)),
    trigger_hits: await tx.erasure.deleteTriggerHitsOf(asCustomer),
  };

  const rewrite = rewriterFor(personId, pseudonym, { name, email });
  const rewritten: Record<string, number> = {};
  for (const found of await tx.erasure.findTexts(rewrite.needles)) {
    const text = rewrite.apply(found);
    if (text === found.text) continue;
    await tx.erasure.rewriteText(found, text);
    const key = `${found.table}.${found.column}`;
    rewritten[key] = (rewritten[key] ?? 0) + 1;
  }
  return {
    personId,
    pseudonym,
    dryRun: false,
    issues: touched.length,
    deleted,
    escalationsWithoutWords: quoting.length,
    eventDetails,
    rewritten,
  };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Display names shorter than this are too likely to be part of other words to search for. */
const MIN_NAME_LENGTH = 4;

/**
 * The person's traces inside stored text: their prefixed id (as a value, in `<@…>` mentions, inside
 * JSON), Slack's raw `<@U…>` / `<@U…|name>` mentions in message text, their e-mail address and their
 * full display name. Ids must stand alone: erasing `slack:U12` leaves `slack:U123` alone. Other
 * people's directory entries keep their own name and e-mail, even when they are the same.
 */
function rewriterFor(personId: string, pseudonym: string, known: { name?: string; email?: string }) {
  const edge = (pattern: string) => new RegExp(`(?<![A-Za-z0-9_-])${pattern}(?![A-Za-z0-9_-])`, 'g');
  const ids: Array<[RegExp, string]> = [[edge(escapeRegExp(personId)), pseudonym]];
  const words: Array<[RegExp, string]> = [];
  const needles = [personId];
  if (personId.startsWith('slack:')) {
    const local = personId.slice('slack:'.length);
    ids.push([new RegExp(`<@${escapeRegExp(local)}(\\|[^>]*)?>`, 'g'), `<@${pseudonym}>`]);
    needles.push(`<@${local}`);
  }
  if (known.email) {
    words.push([new RegExp(escapeRegExp(known.email), 'gi'), WORDS_REMOVED]);
    needles.push(known.email);
  }
  const name = known.name?.trim();
  if (name && name.length >= MIN_NAME_LENGTH) {
    words.push([
      new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(name)}(?![\\p{L}\\p{N}])`, 'giu'),
      WORDS_REMOVED,
    ]);
    needles.push(name);
  }
  return {
    needles,
    apply: (found: StoredText) =>
      [...ids, ...(found.table === 'people' ? [] : words)].reduce(
        (text, [pattern, replacement]) => text.replace(pattern, replacement),
        found.text,
      ),
  };
}
