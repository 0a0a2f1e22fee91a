import { sql } from 'drizzle-orm';
import { escalations } from './schema.js';

// JSON is stored as text (see schema.ts), so reading a field casts it first; `json` rather than
// `jsonb` because only one field is read and `json` skips building the binary form.

/** The name of the escalation's level in its path snapshot (null when the snapshot has none). */
export const snapshotLevelName = sql<
  string | null
>`(${escalations.pathSnapshot})::json -> 'levels' -> ${escalations.level} ->> 'name'`;

/** The one-line "why it fired" of the escalation's evidence. */
export const evidenceSummary = sql<string | null>`(${escalations.evidence})::json ->> 'summary'`;
