import { describe, expect, it } from 'vitest';
import { isBadInput, isUnavailable } from './index.ts';

const coded = (code: string, cause?: unknown) => Object.assign(new Error(code, { cause }), { code });

describe('classifying database errors', () => {
  it('finds a killed connection however deep the wrappers put it (driver → drizzle → page render)', () => {
    const driver = coded('57P01');
    expect(isUnavailable(driver)).toBe(true);
    expect(isUnavailable(new Error('Failed query', { cause: driver }))).toBe(true);
    // A wrapper with its own code (a render error) does not hide the driver's code below it.
    expect(isUnavailable(coded('RenderError', new Error('Failed query', { cause: coded('CONNECTION_DESTROYED') })))).toBe(true);
    expect(isBadInput(new Error('a', { cause: new Error('b', { cause: coded('22P02') }) }))).toBe(true);
  });

  it('leaves other errors alone', () => {
    expect(isUnavailable(new Error('boom'))).toBe(false);
    expect(isUnavailable(coded('23505'))).toBe(false);
    expect(isBadInput(coded('57P01'))).toBe(false);
    expect(isUnavailable(null)).toBe(false);
    // A cause cycle ends.
    const a = coded('X') as Error & { cause?: unknown };
    a.cause = a;
    expect(isUnavailable(a)).toBe(false);
  });
});
