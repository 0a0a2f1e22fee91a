/** What a persona is in the simulated workspace: it decides how Escalator reads their messages. */
export type PersonaRole = 'customer' | 'agent';

export interface Persona {
  /** A `local:` person id, as cards and the audit trail name them. */
  id: string;
  name: string;
  role: PersonaRole;
  /** What they do, shown in the persona picker. */
  title: string;
}

/**
 * The people of the simulated workspace: two customers and three staff, enough to play a whole
 * escalation (ask, answer, escalate, claim, resolve, rate) and a race for the same card.
 */
export const PERSONAS: readonly Persona[] = [
  { id: 'local:U0CASEY', name: 'Casey Customer', role: 'customer', title: 'customer' },
  { id: 'local:U0JORDAN', name: 'Jordan Customer', role: 'customer', title: 'customer' },
  { id: 'local:U0ALEX', name: 'Alex Agent', role: 'agent', title: 'frontline agent' },
  { id: 'local:U0SAM', name: 'Sam Specialist', role: 'agent', title: 'specialist' },
  { id: 'local:U0RILEY', name: 'Riley Lead', role: 'agent', title: 'team lead' },
];

export function personaOf(id: string): Persona | undefined {
  return PERSONAS.find((p) => p.id === id);
}
