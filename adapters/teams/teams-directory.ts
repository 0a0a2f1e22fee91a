import { type CloudAdapter, type ConversationReference, TeamsInfo } from 'botbuilder';
import type { DirectoryPort } from '../../src/ports/directory-port.js';
import type { TeamsConversationData } from './teams-chat.js';
import { toCore, toTeams } from './teams-ids.js';

const PAGE_SIZE = 500;
const MAX_PAGES = 40;
/** A person is waiting on the card; a roster that does not come in time is a "try again". */
const LOOKUP_TIMEOUT_MS = 3_000;

/**
 * Members of a Teams channel or team from the Bot Connector's roster
 * (`GET /v3/conversations/{id}/pagedmembers`), as `teams:<Entra object id>` like actors are named.
 * A standard channel has the members of its team; private and shared channels have their own.
 * Entra security groups are not rosters the bot can read (that takes Microsoft Graph), so a team
 * id is the only Teams group a `responders` list can name.
 */
export class TeamsDirectory implements DirectoryPort {
  constructor(
    private readonly adapter: CloudAdapter,
    /** The bot's Microsoft App ID; empty when running unauthenticated for local tests. */
    private readonly appId: string,
    /** The stored conversation data of a channel (or of any channel of the tenant). */
    private readonly conversation: (channel: string) => Promise<TeamsConversationData | undefined>,
    private readonly timeoutMs = LOOKUP_TIMEOUT_MS,
  ) {}

  channelMembers(channel: string): Promise<ReadonlySet<string>> {
    return this.roster(channel);
  }

  /** A team's members: its id is the id of its General channel, so the same roster call. */
  groupMembers(team: string): Promise<ReadonlySet<string>> {
    return this.roster(team);
  }

  private async roster(id: string): Promise<ReadonlySet<string>> {
    const data = await this.conversation(id);
    if (!data)
      throw new Error(`Teams has not told Escalator how to reach ${id} yet; add the app to that team`);
    const conversationId = toTeams(id);
    const reference: Partial<ConversationReference> = {
      channelId: 'msteams',
      serviceUrl: data.serviceUrl,
      bot: { id: data.botId, name: data.botName ?? 'Escalator' },
      conversation: {
        id: conversationId,
        isGroup: true,
        conversationType: 'channel',
        tenantId: data.tenantId,
        name: '',
      },
    };
    const members = new Set<string>();
    // Errors inside the turn would go to the adapter's onTurnError; keep them to throw here.
    let failure: unknown;
    const read = this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
      try {
        let token: string | undefined;
        for (let page = 0; page < MAX_PAGES; page++) {
          const result = await TeamsInfo.getPagedTeamMembers(context, conversationId, PAGE_SIZE, token);
          for (const member of result.members ?? []) members.add(toCore(member.aadObjectId ?? member.id));
          token = result.continuationToken || undefined;
          if (!token) break;
        }
      } catch (error) {
        failure = error ?? new Error('unknown Teams failure');
      }
    });
    await withTimeout(
      read,
      this.timeoutMs,
      `the Teams roster of ${id} did not come within ${this.timeoutMs} ms`,
    );
    if (failure !== undefined) {
      const status = (failure as { statusCode?: number }).statusCode;
      throw new Error(
        status ? `Teams answered HTTP ${status}` : `Teams could not be reached: ${String(failure)}`,
      );
    }
    return members;
  }
}

function withTimeout(work: Promise<unknown>, ms: number, message: string): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
