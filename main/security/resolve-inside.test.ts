import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveInside } from './resolve-inside.js';

describe('resolveInside', () => {
  const root = path.resolve('/srv/renderer');
  it('resolves files inside the root', () => {
    expect(resolveInside(root, '/index.html')).toBe(path.join(root, 'index.html'));
    expect(resolveInside(root, '/assets/a.js')).toBe(path.join(root, 'assets', 'a.js'));
  });
  it('refuses traversal, encoded or not', () => {
    expect(resolveInside(root, '/../../etc/passwd')).toBe(path.join(root, 'etc', 'passwd'));
    expect(resolveInside(root, '/%2e%2e/%2e%2e/etc/passwd')).toBe(path.join(root, 'etc', 'passwd'));
    expect(resolveInside(root, '/%E0%A4%A')).toBeUndefined();
    expect(resolveInside(root, '/a%00b')).toBeUndefined();
  });
});
