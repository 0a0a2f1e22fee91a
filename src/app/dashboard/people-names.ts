import { SYSTEM_ACTOR } from '../../domain/transitions.js';
import type { PeopleRepository } from '../../ports/store.js';

/** A person as the dashboard shows them: the id (for links and tests) and a name to read. */
export interface PersonRef {
  id: string;
  name: string;
}

/** Mention tokens in core text (`<@slack:U0123>`), as cards carry them for each platform to render. */
const MENTION = /<@((?:slack|teams|local):[^>]+)>/g;

/** The people a text mentions, for `namesOf`. */
export function mentionedIn(...texts: Array<string | null | undefined>): string[] {
  return texts.flatMap((text) => [...(text ?? '').matchAll(MENTION)].map((m) => m[1]!));
}

export interface Names {
  (id: string): PersonRef;
  /** The text with its mention tokens replaced by names: a page has no native mentions. */
  inText(text: string): string;
  inText(text: string | null): string | null;
}

/**
 * Names for ids, read in one query. Escalator's own changes (the checker) show as "Escalator"; a
 * person the platforms never named shows as their id, so the line still says who it was.
 */
export async function namesOf(
  people: Pick<PeopleRepository, 'names'>,
  ids: Iterable<string | null>,
): Promise<Names> {
  const wanted = [...new Set([...ids].filter((id): id is string => id !== null && id !== SYSTEM_ACTOR))];
  const names = wanted.length > 0 ? await people.names(wanted) : new Map<string, string>();
  const person = (id: string): PersonRef => ({
    id,
    name: id === SYSTEM_ACTOR ? 'Escalator' : (names.get(id) ?? id),
  });
  const inText = ((text: string | null) =>
    text === null ? null : text.replace(MENTION, (_token, id: string) => person(id).name)) as Names['inText'];
  return Object.assign(person, { inText });
}
