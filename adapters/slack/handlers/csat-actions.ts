import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { recordCsat } from '../../../src/app/record-csat.js';
import { tellUser } from '../../../src/app/tell-user.js';
import { isEscalatorError } from '../../../src/domain/errors.js';
import { CSAT_ACTION_PATTERN, parseCsatValue } from '../csat-prompt.js';
import { learnSlackPerson } from '../learn-people.js';
import { replies } from '../replies.js';
import { toCore } from '../slack-ids.js';
import type { SlackHandlerDeps } from './deps.js';

/**
 * A click on a CSAT prompt's rating button. The first answer is stored and the prompt becomes
 * "Thanks, <name> rated 4/5" for everyone (`respond` with `replace_original`); a later click, or a
 * score out of range, is answered privately and changes nothing.
 */
export function registerCsatActions(app: App, { ctx, log }: SlackHandlerDeps): void {
  app.action<BlockAction<ButtonAction>>(
    CSAT_ACTION_PATTERN,
    async ({ action, body, ack, client, respond }) => {
      await ack();
      await learnSlackPerson(ctx, client, body.user.id, log);
      const { escalationId, score } = parseCsatValue(action.value);
      const user = toCore(body.user.id);
      const channel = toCore(body.channel?.id ?? body.container?.channel_id ?? '');
      const threadId = (body.container as { thread_ts?: string } | undefined)?.thread_ts;
      const tell = (text: string) =>
        tellUser(ctx, { channel, userId: user, ...(threadId ? { threadId } : {}) }, replies.fromCore(text));
      try {
        const result = await recordCsat(ctx, { escalationId, score, respondent: user, source: 'slack' });
        if (result.outcome === 'already_rated') return void (await tell(result.message ?? result.thanks));
        try {
          await respond({ replace_original: true, text: replies.fromCore(result.thanks) });
        } catch (error) {
          // The answer is stored and the card shows it; only the prompt keeps its buttons.
          log.warn({ escalationId, error: (error as Error).message }, 'could not replace the CSAT prompt');
        }
      } catch (error) {
        if (!isEscalatorError(error)) throw error;
        log.info({ escalationId, user, code: error.code }, 'CSAT answer refused');
        await tell(error.message);
      }
    },
  );
}
