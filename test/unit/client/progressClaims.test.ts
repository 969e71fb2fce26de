import assert from 'node:assert/strict';
import { ProgressClaims, type ProgressValue } from '../../../client/src/server/progressClaims';

describe('client: server progress matched to the request that caused it', () => {
  const begin: ProgressValue = { kind: 'begin', title: 'DevGuide Export', percentage: 0 };
  const commit: ProgressValue = { kind: 'report', message: 'Committing…', percentage: 90 };

  it('gives each new progress to the oldest waiting claim, in order', () => {
    const claims = new ProgressClaims();
    const seen: string[] = [];
    claims.claim((v) => seen.push(`a:${v.kind}`));
    claims.claim((v) => seen.push(`b:${v.kind}`));
    const first = claims.take();
    const second = claims.take();
    assert.equal(claims.take(), undefined, 'nobody else is waiting');
    second?.(begin);
    first?.(commit);
    assert.deepEqual(seen, ['b:begin', 'a:report']);
  });

  it('a claim disposed before its progress came does not take the next one; after disposal nothing is delivered', () => {
    const claims = new ProgressClaims();
    const seen: string[] = [];
    const failedEarly = claims.claim(() => seen.push('early'));
    claims.claim((v) => seen.push(`later:${v.kind}`));
    failedEarly.dispose(); // its request failed before the server created a progress
    const listener = claims.take();
    listener?.(begin);
    assert.deepEqual(seen, ['later:begin']);

    const done = claims.claim(() => seen.push('done'));
    const taken = claims.take();
    done.dispose(); // the request answered; the progress's end may still arrive
    taken?.({ kind: 'end' });
    assert.deepEqual(seen, ['later:begin']);
  });
});
