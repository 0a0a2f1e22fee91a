import { describe, expect, it } from 'vitest';
import { parseDigestRequest } from '../../../../src/app/digest/on-demand.js';

const PATHS = ['tech', 'management'];

describe('what a lead asks the digest for', () => {
  it.each([
    ['', { week: 'this', path: null }],
    ['this week', { week: 'this', path: null }],
    ['Last  Week', { week: 'last', path: null }],
    ['2026-w14', { week: '2026-W14', path: null }],
    ['last week tech', { week: 'last', path: 'tech' }],
    ['2026-W14 Management', { week: '2026-W14', path: 'management' }],
    ['tech', { week: 'this', path: 'tech' }],
  ])('%j', (text, request) => {
    expect(parseDigestRequest(text, PATHS)).toEqual({ ok: true, request });
  });

  it('explains a request it cannot read, with the paths there are', () => {
    const answer = parseDigestRequest('next month billing', PATHS);
    expect(answer).toEqual({
      ok: false,
      message: expect.stringContaining('"next month billing" is neither a week nor a path'),
    });
    expect(!answer.ok && answer.message).toContain('Paths: tech, management.');
  });
});
