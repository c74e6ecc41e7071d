import { describe, expect, it } from 'vitest';
import { emptyMetadata, iswcCheckDigit, normaliseIsrc, normaliseIswc, parseClearance, validateMetadata, type WorkMetadata } from '../../src/core/metadata';

const meta = (patch: Partial<WorkMetadata>): WorkMetadata => ({ ...emptyMetadata('w'), ...patch });

/** An ISWC with a correct check digit for any nine digits, computed here independently of the code under test. */
function iswcFor(digits: string): string {
  let s = 1;
  for (let i = 1; i <= 9; i++) s += i * Number(digits[i - 1]);
  const c = (10 - (s % 10)) % 10;
  return `T-${digits.slice(0, 3)}.${digits.slice(3, 6)}.${digits.slice(6)}-${c}`;
}

describe('rights metadata validation', () => {
  it('computes the ISWC check digit of the published examples', () => {
    expect(iswcCheckDigit('034524680')).toBe(1); // T-034.524.680-1
    expect(iswcCheckDigit('000000001')).toBe(0); // T-000.000.001-0, the first ISWC
  });

  it('accepts ISWCs with or without separators and rejects every wrong check digit', () => {
    for (let n = 0; n < 200; n++) {
      const digits = String((n * 7919 + 12345) % 1e9).padStart(9, '0');
      const good = iswcFor(digits);
      expect(normaliseIswc(good)).toBe(good);
      expect(normaliseIswc(good.replace(/[-.]/g, ''))).toBe(good);
      const check = Number(good.at(-1));
      expect(normaliseIswc(good.slice(0, -1) + ((check + 1 + (n % 9)) % 10))).toBeNull();
    }
  });

  it('says when an ISWC has the wrong shape or a wrong check digit, differently', () => {
    const shape = validateMetadata(meta({ iswc: 'T-12.345.678-9' })).issues;
    expect(shape).toHaveLength(1);
    expect(shape[0].message).toMatch(/must be T, 9 digits and a check digit/);
    const digit = validateMetadata(meta({ iswc: 'T-034.524.680-7' })).issues;
    expect(digit[0].message).toMatch(/wrong check digit: .* must be 1/);
  });

  it('normalises ISRCs to CC-XXX-YY-NNNNN and rejects malformed ones', () => {
    expect(normaliseIsrc('usrc17607839')).toBe('US-RC1-76-07839');
    expect(normaliseIsrc('GB-A1B-24-00042')).toBe('GB-A1B-24-00042');
    for (const bad of ['US-RC1-76-0783', '1S-RC1-76-07839', 'US-RC1-7A-07839', 'US-RC1-76-078390', '']) expect(normaliseIsrc(bad)).toBeNull();
    expect(validateMetadata(meta({ isrc: 'US-RC1-76-0783' })).issues[0]).toMatchObject({ field: 'isrc' });
    expect(validateMetadata(meta({ isrc: ' usrc17607839 ' })).metadata.isrc).toBe('US-RC1-76-07839');
  });

  it('requires all splits of a work to add up to 100 %', () => {
    const ok = validateMetadata(meta({ creators: [
      { name: 'Ana', role: 'composer', splitPercent: 33.33 }, { name: 'Ben', role: 'lyricist', splitPercent: 33.33 }, { name: 'Cy', role: 'performer', splitPercent: 33.34 },
    ] }));
    expect(ok.issues).toEqual([]);
    const off = validateMetadata(meta({ creators: [{ name: 'Ana', role: 'composer', splitPercent: 60 }, { name: 'Ana', role: 'lyricist', splitPercent: 30 }] }));
    expect(off.issues).toEqual([{ field: 'splits', message: expect.stringMatching(/add up to 90 %, not 100 %/) }]);
  });

  it('names each creator problem: missing name, unknown role, split out of range, duplicate role', () => {
    const { issues } = validateMetadata(meta({ creators: [
      { name: ' ', role: 'composer', splitPercent: 50 },
      { name: 'Ben', role: 'drummer' as never, splitPercent: 50 },
      { name: 'Cy', role: 'producer', splitPercent: 120 },
      { name: 'cy', role: 'producer', splitPercent: -70 },
    ] }));
    const fields = issues.map((i) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['creators.0.name', 'creators.1.role', 'creators.2.splitPercent', 'creators.3.splitPercent', 'creators.3.name']));
    expect(issues.find((i) => i.field === 'creators.1.role')!.message).toMatch(/Ben: role “drummer”/);
  });

  it('reads clearance by value or label, and nothing else', () => {
    expect(parseClearance('Cleared for AI use')).toBe('cleared');
    expect(parseClearance('not cleared')).toBe('not-cleared');
    expect(parseClearance('')).toBe('unknown');
    expect(parseClearance('maybe')).toBeNull();
    expect(emptyMetadata('x').clearance).toBe('unknown');
  });
});
