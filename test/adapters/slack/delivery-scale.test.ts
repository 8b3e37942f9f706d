// Slow suite: the documented-limits row of delivery-faults.test.ts at 500 channels (issue 10's
// "216 of 500" row), about nine minutes of Slack's pace in virtual time; the quick suite runs it at 150.
import { describe } from 'node:test';
import { atDocumentedLimits } from './delivery-rig.js';

describe('Slack delivery at Slack’s limits, at scale (virtual time)', () => {
  atDocumentedLimits(500);
});
