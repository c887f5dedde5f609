import assert from 'node:assert/strict';
import { parseRetryAfter } from '../../src/http/retry-after';

describe('Retry-After parsing', () => {
  it('reads delta-seconds as milliseconds', () => {
    assert.equal(parseRetryAfter('120'), 120_000);
  });
  it('reads an HTTP-date as the time left until then', () => {
    const now = Date.parse('2026-12-04T10:00:00Z');
    assert.equal(parseRetryAfter('Fri, 04 Dec 2026 10:00:30 GMT', now), 30_000);
  });
  it('treats a date in the past as no wait', () => {
    const now = Date.parse('2026-12-04T10:00:00Z');
    assert.equal(parseRetryAfter('Fri, 04 Dec 2026 09:00:00 GMT', now), 0);
  });
  it('returns undefined for an absent or unreadable header so the default backoff applies', () => {
    assert.equal(parseRetryAfter(undefined), undefined);
    assert.equal(parseRetryAfter('soon'), undefined);
  });
});
