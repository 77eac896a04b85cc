import { describe, expect, it } from 'vitest';
import { upgradeReportJson } from './report-data';

describe('upgradeReportJson', () => {
  it('reads the results of older versions (queryIn) under the one name querySlot, leaving the rest as it is', () => {
    const old = {
      title: 't',
      results: [{ model: 'trained', queryIn: 'right', metrics: { mapAtR: 0.5 } }],
      notes: ['queryIn'],
    };
    expect(upgradeReportJson(old)).toEqual({
      title: 't',
      results: [{ model: 'trained', querySlot: 'right', metrics: { mapAtR: 0.5 } }],
      notes: ['queryIn'],
    });
  });
});
