import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEscalateCommand } from '../../adapters/shared/parse-escalate-command.js';
import { loadPolicyFile } from '../../src/config/load-policy.js';

/** Property tests of `escalate [to <path>] [P1-P4] <reason>`, as typed after the bot's mention. */

const space = fc.constantFrom(' ', '  ', '\t', ' \n ');
const anyCase = (word: string) =>
  fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((upper) => [...word].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join(''));
const pathName = fc.stringMatching(/^[a-z][a-z0-9_-]{0,15}$/);
const priority = fc.constantFrom('P1', 'P2', 'P3', 'P4').chain(anyCase);
/** A reason as agents write it: words, punctuation, emoji, mentions, line breaks. */
const reason = fc
  .array(
    fc.oneof(
      fc.stringMatching(/^[A-Za-z][a-z]{0,9}$/),
      fc.constantFrom('🔥', '—', '$1,200', '<@U0LEAD>', 'שלום', 'مرحبا', 'order #42', '\n', 'E500!'),
    ),
    { minLength: 1, maxLength: 12 },
  )
  .map((words) => words.join(' ').trim())
  // Words the grammar would read as the optional parts belong to other cases below.
  .filter((r) => r !== '' && !/^to\s/i.test(r) && !/^P[1-4]\b/i.test(r));

describe('parseEscalateCommand', () => {
  it('never throws, whatever is typed', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        const command = parseEscalateCommand(text);
        expect(typeof command.verb).toBe('string');
        expect(typeof command.reason).toBe('string');
      }),
      { numRuns: 300 },
    );
  });

  it('gives back the path, the priority and the reason it was written with', () => {
    fc.assert(
      fc.property(
        anyCase('escalate'),
        fc.option(pathName, { nil: undefined }),
        fc.option(priority, { nil: undefined }),
        reason,
        space,
        (verb, path, p, why, gap) => {
          const text = [verb, path && `to${gap}${path}`, p, why].filter(Boolean).join(gap);
          expect(parseEscalateCommand(`${gap}${text}${gap}`)).toEqual({
            verb: 'escalate',
            path,
            priority: p?.toUpperCase(),
            reason: why,
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a reason that starts like a priority or a path is read as one, and the rest stays the reason', () => {
    fc.assert(
      fc.property(priority, reason, (p, why) => {
        expect(parseEscalateCommand(`escalate ${p} ${why}`)).toMatchObject({
          priority: p.toUpperCase(),
          reason: why,
        });
      }),
      { numRuns: 100 },
    );
  });

  it('a path an agent types finds a path of the policy with that name, or nothing (never a JavaScript built-in)', () => {
    const policy = loadPolicyFile('escalation-policy.example.yaml');
    const typed = fc.oneof(
      pathName,
      fc.constantFrom(
        'constructor',
        'toString',
        '__proto__',
        'hasOwnProperty',
        'valueOf',
        'tech',
        'management',
      ),
    );
    fc.assert(
      fc.property(typed, reason, (path, why) => {
        const command = parseEscalateCommand(`escalate to ${path} ${why}`);
        const found = policy.paths[command.path!];
        if (found) expect(found.name).toBe(command.path);
        else expect(Object.keys(policy.paths)).not.toContain(command.path);
      }),
      { numRuns: 200 },
    );
  });
});
