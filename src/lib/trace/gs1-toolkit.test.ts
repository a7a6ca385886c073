import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { aiValueError, decompressPath, looksLikeAI } from './gs1-toolkit.ts';

const vectors = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'tests/fixtures/gs1/compression-vectors.json'), 'utf8')) as { decompress: Array<{ compressed: string; uncompressed: string }> };

describe('GS1 toolkit (compression, AI syntax)', () => {
  it('decompresses GS1\'s own compression examples to their uncompressed Digital Links', () => {
    expect(vectors.decompress.length).toBeGreaterThanOrEqual(5);
    for (const v of vectors.decompress) {
      const stem = 'https://id.gs1.org';
      expect(decompressPath(v.compressed.slice(stem.length)), v.compressed).toBe(v.uncompressed.slice(stem.length));
    }
  });

  it('leaves ordinary site paths and uncompressed links alone', () => {
    for (const p of ['/cart', '/products', '/verify', '/login', '/01/05412345000013', '/favicon.ico', '/x']) expect(decompressPath(p), p).toBeNull();
  });

  it('checks query-string AI values by GS1\'s syntax: dates, numbers, unknown AIs', () => {
    expect(looksLikeAI('17')).toBe(true);
    expect(looksLikeAI('linkType')).toBe(false);
    expect(aiValueError('17', '261231')).toBeNull();
    expect(aiValueError('17', '2612')).toMatch(/syntax/i);
    expect(aiValueError('17', '26AB31')).toMatch(/syntax/i);
    expect(aiValueError('3103', '000189')).toBeNull();
    expect(aiValueError('1234', 'x')).toMatch(/not a GS1 Application Identifier/);
  });
});
