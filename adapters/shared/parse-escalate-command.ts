import type { Priority } from '../../src/domain/policy.js';

export interface ChatCommand {
  verb: string;
  path?: string;
  priority?: Priority;
  reason: string;
}

/**
 * Reads `escalate [to <path>] [P1-P4] <reason>` once the platform has removed the bot's own
 * mention. The reason keeps the agent's line breaks and any later mentions ("<@lead> asked").
 */
export function parseEscalateCommand(text: string): ChatCommand {
  const match = /^\s*(\S*)(?:\s+to\s+(\S+))?(?:\s+(P[1-4])\b)?\s*([\s\S]*)$/i.exec(text);
  const [, verb = '', path, priority, reason = ''] = match ?? [];
  return {
    verb: verb.toLowerCase(),
    path,
    priority: priority?.toUpperCase() as Priority | undefined,
    reason: reason.trim(),
  };
}
