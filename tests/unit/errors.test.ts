import { describe, expect, it } from 'vitest';
import { messageFor } from '../../src/state/errors';
import { CoreError } from '../../src/core/wasm-core';

describe('messageFor', () => {
  it("passes the core's own messages through, as written for the user", () => {
    expect(messageFor(new CoreError('The catalog is too large to hold in memory.'))).toBe('The catalog is too large to hold in memory.');
    // Through a worker (Comlink) an error arrives as a plain Error carrying its name.
    expect(messageFor(Object.assign(new Error('Unsupported sample rate 1 Hz.'), { name: 'CoreError' }))).toBe('Unsupported sample rate 1 Hz.');
  });

  it('wraps anything else in a message that says nothing was changed and what to do', () => {
    const text = messageFor(new TypeError('x is undefined'));
    expect(text).toContain('x is undefined');
    expect(text).toMatch(/Nothing was changed; reload the page/);
  });
});
