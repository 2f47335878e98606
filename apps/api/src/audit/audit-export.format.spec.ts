import { csvField } from './audit-export.format';

describe('CSV export fields', () => {
  it.each([
    ['=1+1'],
    ['+1'],
    ['-1'],
    ['@SUM(A1)'],
    ['\t=1'],
    ['\r=1'],
    ['\n=1'],
    [' =1+1'],
    ['\u00A0=1+1'],
    ['\u200B=HYPERLINK("x")'],
    ['\uFEFF@x'],
    ['  \n =cmd'],
    ['＝1+1'],
  ])('neutralises %j against spreadsheet formulas', (value) => {
    expect(csvField(value).replace(/^"/, '')).toMatch(/^'/);
  });

  it('leaves ordinary text alone and quotes what RFC 4180 needs', () => {
    expect(csvField('approve')).toBe('approve');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('风险 = 可控')).toBe('风险 = 可控');
  });
});
