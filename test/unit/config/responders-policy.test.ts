import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config-error.js';
import { parsePolicy } from '../../../src/config/load-policy.js';

const example = readFileSync(resolve(import.meta.dirname, '../../../escalation-policy.example.yaml'), 'utf8');
const L2 = '- { name: L2 Tech, channel: slack:C0L2, ackWithin: 30m, resolveWithin: 4h }';

/** The example policy with `responders` written onto L2 Tech. */
function withResponders(list: string): string {
  if (!example.includes(L2)) throw new Error('the example policy no longer has the L2 Tech line');
  return example.replace(L2, `- { name: L2 Tech, channel: slack:C0L2, responders: ${list} }`);
}

function problemsOf(yaml: string): string[] {
  try {
    parsePolicy(yaml, 'policy.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected parsePolicy to throw');
}

describe('a level’s responders', () => {
  it('are optional: without them the channel’s members act', () => {
    const policy = parsePolicy(example, 'policy.yaml');
    expect(policy.paths.tech?.levels[0]?.responders).toBeUndefined();
  });

  it('take people, Slack user groups and Teams teams; Entra object ids are kept in lower case', () => {
    const policy = parsePolicy(
      withResponders(
        '[slack:U0BOB, slack:W0GRID, slack:S0ONCALL, "teams:00000000-0000-4000-8000-0000000000B1", "teams:19:oncall@thread.tacv2"]',
      ),
      'policy.yaml',
    );
    expect(policy.paths.tech?.levels[0]?.responders).toEqual([
      'slack:U0BOB',
      'slack:W0GRID',
      'slack:S0ONCALL',
      'teams:00000000-0000-4000-8000-0000000000b1',
      'teams:19:oncall@thread.tacv2',
    ]);
  });

  it.each([
    ['a channel', 'slack:C0L2'],
    ['a Teams user id that is not an Entra object id', 'teams:29:1BobSpecialist'],
    ['no platform prefix', 'U0BOB'],
  ])('refuse %s, saying what is allowed, with the line', (_what, entry) => {
    const problems = problemsOf(withResponders(`[slack:U0BOB, "${entry}"]`));
    expect(problems).toEqual([
      expect.stringMatching(
        new RegExp(
          `^line \\d+, col \\d+: paths\\.tech\\.levels\\[0\\]\\.responders\\[1\\]: "${entry.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" is not a responder: use a person \\(slack:U0123 or teams:<Entra object id>\\), a Slack user group \\(slack:S0123\\) or a Teams team`,
        ),
      ),
    ]);
  });

  it('refuse an empty list, which would let nobody act', () => {
    expect(problemsOf(withResponders('[]'))).toEqual([
      expect.stringContaining(
        "paths.tech.levels[0].responders: list at least one responder (use a person (slack:U0123 or teams:<Entra object id>), a Slack user group (slack:S0123) or a Teams team (teams:19:...@thread.tacv2)), or leave responders out to let the members of the level's channel act",
      ),
    ]);
  });
});
