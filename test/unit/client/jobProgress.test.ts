import assert from 'node:assert/strict';
import { panelStageOf, parseJobProgress, progressMessage, ProgressIncrements } from '../../../client/src/jobs/jobProgress';

describe('client: job progress', () => {
  it('takes the stage from the value, never from its percentage', () => {
    assert.equal(panelStageOf({ kind: 'begin', title: 'Export', stage: 'publish', percentage: 95 }), 'publish');
    assert.equal(panelStageOf({ kind: 'report', stage: 'publish', step: 'write', percentage: 90 }), 'publish');
    assert.equal(panelStageOf({ kind: 'report', stage: 'publish', step: 'commit', percentage: 10 }), 'publish', 'the commit step is part of publish: one stage vocabulary');
    assert.equal(panelStageOf({ kind: 'report', stage: 'validate', percentage: 99 }), 'validate');
  });

  it('shows the server\'s message, else one for the stage', () => {
    assert.equal(progressMessage({ kind: 'report', stage: 'publish', message: 'Writing plan.md…' }), 'Writing plan.md…');
    assert.equal(progressMessage({ kind: 'report', stage: 'publish' }), 'Publishing…');
    assert.equal(progressMessage({ kind: 'report', stage: 'publish', step: 'commit' }), 'Recording the export…');
    assert.equal(progressMessage({ kind: 'begin', title: 'Export', stage: 'assemble' }), 'Assembling the selection…');
  });

  it('turns the server\'s percentages into the increments a notification takes', () => {
    const steps = new ProgressIncrements();
    assert.equal(steps.next(undefined), undefined);
    assert.equal(steps.next(10), 10);
    assert.equal(steps.next(60), 50);
    assert.equal(steps.next(60), undefined, 'no movement');
    assert.equal(steps.next(40), undefined, 'never backwards');
    assert.equal(steps.next(250), 40, 'clamped at 100');
    assert.equal(steps.next(Number.NaN), undefined);
  });

  it('accepts the protocol\'s values and refuses anything else', () => {
    const begin = { kind: 'begin', title: 'DevGuide Export', stage: 'publish', cancellable: true, percentage: 0 };
    assert.deepEqual(parseJobProgress(begin), begin);
    assert.deepEqual(parseJobProgress({ kind: 'end' }), { kind: 'end' });
    assert.equal(parseJobProgress({ kind: 'report', stage: 'commit' }), undefined, 'commit is a step, not a stage');
    assert.equal(parseJobProgress({ kind: 'report', message: 'no stage' }), undefined);
    assert.equal(parseJobProgress({ kind: 'begin', stage: 'publish' }), undefined, 'begin needs its title');
    assert.equal(parseJobProgress(null), undefined);
  });
});
