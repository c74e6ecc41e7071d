import { describe, expect, it } from 'vitest';
import { RollingWindow } from '../../src/bridge/rolling-window';

const ramp = (from: number, n: number) => Float32Array.from({ length: n }, (_, i) => from + i);

describe('RollingWindow', () => {
  it('returns what it was given while it is not full', () => {
    const w = new RollingWindow(10, 1); // 10 samples
    w.push(ramp(0, 4));
    w.push(ramp(4, 3));
    expect([...w.latest()]).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(w.filledSec).toBeCloseTo(0.7);
  });

  it('keeps only the most recent samples, in time order, across wrap-arounds', () => {
    const w = new RollingWindow(10, 1);
    let next = 0;
    for (const n of [3, 7, 4, 9, 1, 6]) {
      w.push(ramp(next, n));
      next += n;
      const expected = ramp(Math.max(0, next - 10), Math.min(next, 10));
      expect([...w.latest()]).toEqual([...expected]);
    }
    expect(w.totalSec).toBeCloseTo(3);
    expect(w.filledSec).toBe(1);
    expect([...w.latest(0.3)]).toEqual([27, 28, 29]);
  });

  it('takes the tail of a chunk longer than the window', () => {
    const w = new RollingWindow(10, 1);
    w.push(ramp(0, 5));
    w.push(ramp(5, 23));
    expect([...w.latest()]).toEqual([...ramp(18, 10)]);
    w.push(ramp(28, 2));
    expect([...w.latest()]).toEqual([...ramp(20, 10)]);
  });

  it('starts again empty after clear()', () => {
    const w = new RollingWindow(10, 1);
    w.push(ramp(0, 12));
    w.clear();
    expect(w.latest().length).toBe(0);
    w.push(ramp(50, 2));
    expect([...w.latest()]).toEqual([50, 51]);
  });
});
