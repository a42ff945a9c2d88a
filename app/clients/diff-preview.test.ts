import { createTwoFilesPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { configDiff } from './diff-preview.js';

const full = (a: string, b: string) =>
  createTwoFilesPatch('f', 'f', a, b, '', '', { context: 3 }).replace(/^(Index: .*\n)?=+\n/, '');

const lines = (n: number, prefix = 'line') => Array.from({ length: n }, (_, i) => `${prefix} ${i}`);

describe('configDiff', () => {
  const base = lines(40).join('\n') + '\n';
  const cases: [string, string, string][] = [
    ['insert in the middle', base, base.replace('line 20\n', 'line 20\nnew a\nnew b\n')],
    ['remove in the middle', base, base.replace('line 7\nline 8\n', '')],
    ['change near the start', base, base.replace('line 1\n', 'line one\n')],
    ['append at the end', base, base + 'tail\n'],
    ['end without newline', base, base.slice(0, -1)],
    ['from empty', '', 'a\nb\n'],
    ['to empty', 'a\nb\n', ''],
    [
      'CRLF lines',
      base.replace(/\n/g, '\r\n'),
      base.replace(/\n/g, '\r\n').replace('line 30', 'x'),
    ],
    ['two separate edits', base, base.replace('line 3\n', 'x\n').replace('line 35\n', 'y\n')],
  ];
  it.each(cases)('equals the whole-file diff: %s', (_name, a, b) => {
    expect(configDiff('f', a, b)).toBe(full(a, b));
  });

  it('equals the whole-file diff for 300 random splices (seeded)', () => {
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 300; i++) {
      const a = lines(rnd(30), 'l').join('\n') + (rnd(2) ? '\n' : '');
      const parts = a.split('\n');
      const at = rnd(parts.length + 1);
      const removed = rnd(3);
      const inserted = lines(rnd(4), `n${i}`);
      parts.splice(at, removed, ...inserted);
      const b = parts.join('\n');
      expect(configDiff('f', a, b), JSON.stringify([a, b])).toBe(full(a, b));
    }
  });
});
