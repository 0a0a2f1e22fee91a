import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config-error.js';
import { parseEnv } from '../../../src/config/env.js';

const url = 'https://api.openai.com/v1';

/** The problems `parseEnv` reports (fails the test if it does not throw a ConfigError). */
function problemsOf(source: Record<string, string | undefined>): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected parseEnv to throw');
}

describe('parseEnv: the AI summary variables', () => {
  it('leaves the AI summary off when none is set', () => {
    expect(parseEnv({}).summary).toBeUndefined();
    expect(parseEnv({ SUMMARY_API_URL: ' ', SUMMARY_MODEL: '' }).summary).toBeUndefined();
  });

  it('turns it on with URL and model; the key is optional and the timeout defaults to 8s', () => {
    expect(parseEnv({ SUMMARY_API_URL: url, SUMMARY_MODEL: 'gpt-4o-mini' }).summary).toEqual({
      apiUrl: url,
      model: 'gpt-4o-mini',
      timeoutMs: 8000,
    });
    expect(
      parseEnv({
        SUMMARY_API_URL: 'http://127.0.0.1:11434/v1/chat/completions',
        SUMMARY_MODEL: 'llama3',
        SUMMARY_API_KEY: 'sk-123',
        SUMMARY_TIMEOUT: '20s',
      }).summary,
    ).toEqual({
      apiUrl: 'http://127.0.0.1:11434/v1/chat/completions',
      model: 'llama3',
      apiKey: 'sk-123',
      timeoutMs: 20_000,
    });
  });

  it.each([
    ['500ms', 500],
    ['8s', 8000],
    ['2m', 120_000],
    ['10m', 600_000],
  ])('reads SUMMARY_TIMEOUT=%s as %d ms', (text, ms) => {
    expect(
      parseEnv({ SUMMARY_API_URL: url, SUMMARY_MODEL: 'm', SUMMARY_TIMEOUT: text }).summary?.timeoutMs,
    ).toBe(ms);
  });

  it('names SUMMARY_MODEL when only the URL is set', () => {
    const problems = problemsOf({ SUMMARY_API_URL: url });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^SUMMARY_MODEL: is missing but SUMMARY_API_URL is set/);
  });

  it('names SUMMARY_API_URL when only the model is set', () => {
    const problems = problemsOf({ SUMMARY_MODEL: 'gpt-4o-mini', SUMMARY_API_KEY: 'sk-1' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^SUMMARY_API_URL: is missing but SUMMARY_MODEL is set/);
  });

  it('a key or timeout without URL and model says what else is needed, never echoing the key', () => {
    const problems = problemsOf({ SUMMARY_API_KEY: 'sk-very-secret', SUMMARY_TIMEOUT: '5s' });
    expect(problems).toEqual([
      'SUMMARY_API_KEY: only works with SUMMARY_API_URL and SUMMARY_MODEL: set those too, or unset SUMMARY_API_KEY',
      'SUMMARY_TIMEOUT: only works with SUMMARY_API_URL and SUMMARY_MODEL: set those too, or unset SUMMARY_TIMEOUT',
    ]);
    expect(problems.join('\n')).not.toContain('sk-very-secret');
  });

  it.each(['soon', '0s', '5', '1.5s', '11m', '1h'])('rejects SUMMARY_TIMEOUT=%s, naming it', (text) => {
    const problems = problemsOf({ SUMMARY_API_URL: url, SUMMARY_MODEL: 'm', SUMMARY_TIMEOUT: text });
    expect(problems).toEqual([
      `SUMMARY_TIMEOUT: "${text}" is not a timeout: use a number followed by s, m, h, d or w, such as 30s, 15m, 4h, 2d, 1w (or ms, such as 500ms), at most 10m (default 8s)`,
    ]);
  });

  it('rejects a SUMMARY_API_URL that is not http(s), naming it', () => {
    const problems = problemsOf({ SUMMARY_API_URL: 'api.openai.com/v1', SUMMARY_MODEL: 'm' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^SUMMARY_API_URL: "api\.openai\.com\/v1" is not an http\(s\) URL/);
  });

  it('reports the summary problems together with the others', () => {
    const problems = problemsOf({ PORT: 'x', SUMMARY_MODEL: 'm' });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['PORT', 'SUMMARY_API_URL']);
  });
});
