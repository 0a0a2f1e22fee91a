import type { App } from '@slack/bolt';
import { digestOnDemand } from '../../../src/app/digest/on-demand.js';
import { namesOf } from '../../../src/app/directory.js';
import { mentionedIds } from '../../shared/people.js';
import { renderBlockKit } from '../render-block-kit.js';
import { toCore } from '../slack-ids.js';
import type { SlackHandlerDeps } from './deps.js';

/**
 * `/escalation-digest [this week|last week|YYYY-Www] [path]`: the full report, only for the person
 * who asked. It is a read of one indexed week, so it answers in the acknowledgement itself (an
 * ephemeral reply, no outbox: nothing changes and nobody else sees it). The chart comes with the
 * weekly digest; an ephemeral message cannot carry an upload.
 */
export function registerDigestCommand(app: App, deps: SlackHandlerDeps & { workspaceUrl?: string }): void {
  const { ctx, log } = deps;
  app.command('/escalation-digest', async ({ command, ack }) => {
    try {
      const answer = await digestOnDemand(ctx, { text: command.text, channel: toCore(command.channel_id) });
      if (!answer.ok) return void (await ack({ response_type: 'ephemeral', text: answer.message }));
      const { chart: _drawnInTheWeeklyDigest, ...card } = answer.card;
      const names = await namesOf(ctx, mentionedIds(JSON.stringify(card)));
      const { text, blocks } = renderBlockKit(card, deps.workspaceUrl, names);
      await ack({ response_type: 'ephemeral', text, blocks });
    } catch (error) {
      log.error({ error: (error as Error).message }, 'escalation digest failed');
      await ack({
        response_type: 'ephemeral',
        text: 'The digest could not be prepared just now (the error is in Escalator’s log). Try again in a minute.',
      });
    }
  });
}
