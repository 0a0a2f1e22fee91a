import type { DirectoryPort } from '../../src/ports/directory-port.js';
import { PERSONAS } from './personas.js';

/**
 * Who belongs where in the simulated workspace: every persona is a member of every channel and
 * every group, so anyone can play any part (claim at L2, then resolve at the head of support).
 * A level's `responders` list still applies: only the people it names may act there.
 */
export class LocalDirectory implements DirectoryPort {
  private readonly everyone: ReadonlySet<string> = new Set(PERSONAS.map((p) => p.id));

  async channelMembers(): Promise<ReadonlySet<string>> {
    return this.everyone;
  }

  async groupMembers(): Promise<ReadonlySet<string>> {
    return this.everyone;
  }
}
