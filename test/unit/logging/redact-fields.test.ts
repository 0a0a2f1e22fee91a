import { describe, expect, it } from 'vitest';
import { createLogger, REDACTED } from '../../../src/logging/create-logger.js';

/** A logger that knows no secret values: only the field names protect them. */
function capture() {
  const lines: string[] = [];
  const log = createLogger({ level: 'info', destination: { write: (line) => lines.push(line) } });
  return { log, records: () => lines.map((l) => JSON.parse(l)) };
}

describe('fields named like secrets, wherever the logged object holds them', () => {
  it('the caller keeps its own object as it was: the line shows a redacted copy', () => {
    const { log, records } = capture();
    const settings = {
      slack: { botToken: 's3cr3t-bot-value', apiUrl: 'https://slack.com/api/' },
      tags: ['a'],
    };
    log.info({ settings }, 'starting');
    expect(settings.slack.botToken).toBe('s3cr3t-bot-value');
    expect(records()[0].settings).toEqual({
      slack: { botToken: REDACTED, apiUrl: 'https://slack.com/api/' },
      tags: ['a'],
    });
  });

  it('inside arrays, errors, objects that serialise themselves and objects that refer to themselves', () => {
    const { log, records } = capture();
    const failure = Object.assign(new Error('upstream refused'), {
      config: { headers: { authorization: 'Bearer abc' } },
    });
    const headers = { toJSON: () => ({ cookie: 'session=1', accept: 'json' }) };
    const loop: Record<string, unknown> = { password: 'hunter2' };
    loop.self = loop;
    log.error({ error: failure, calls: [{ token: 't-1' }], headers, loop }, 'failed');
    const [line] = records();
    expect(line.error.message).toBe('upstream refused');
    expect(line.error.config.headers.authorization).toBe(REDACTED);
    expect(line.calls).toEqual([{ token: REDACTED }]);
    expect(line.headers).toEqual({ cookie: REDACTED, accept: 'json' });
    expect(line.loop.password).toBe(REDACTED);
    expect(failure.config.headers.authorization).toBe('Bearer abc');
  });

  it("a child logger's bindings", () => {
    const { log, records } = capture();
    log.child({ client: { token: 's3cr3t-child-value', team: 'T0HOME' } }).info('bound');
    expect(records()[0].client).toEqual({ token: REDACTED, team: 'T0HOME' });
  });
});
