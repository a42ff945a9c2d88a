import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import {
  autostartDir,
  autostartEntry,
  autostartPath,
  isAutostartEnabled,
  quoteExecArg,
  setAutostart,
} from './autostart.js';

let tmp: TempHome;
beforeEach(async () => {
  tmp = await makeTempHome();
});
afterEach(() => tmp.cleanup());

describe('Linux autostart entry', () => {
  it('lives under XDG_CONFIG_HOME, falling back to ~/.config', () => {
    expect(autostartDir(tmp.env)).toBe(path.join(tmp.home, '.config', 'autostart'));
    expect(autostartDir({ HOME: '/home/u', XDG_CONFIG_HOME: '' })).toBe(
      '/home/u/.config/autostart',
    );
    expect(autostartDir({ HOME: '/home/u', XDG_CONFIG_HOME: '/x/cfg' })).toBe('/x/cfg/autostart');
  });

  it('quotes Exec arguments as the Desktop Entry spec asks', () => {
    expect(quoteExecArg('/opt/Switchboard/switchboard')).toBe('/opt/Switchboard/switchboard');
    expect(quoteExecArg('--hidden')).toBe('--hidden');
    expect(quoteExecArg('/home/a b/Switchboard.AppImage')).toBe('"/home/a b/Switchboard.AppImage"');
    expect(quoteExecArg('a"b$c`d\\e')).toBe('"a\\"b\\$c\\`d\\\\e"');
    expect(quoteExecArg('100%')).toBe('100%%');
    expect(quoteExecArg('')).toBe('""');
    expect(() => quoteExecArg('a\nb')).toThrow(/line break/);
  });

  it('writes an entry that launches hidden, reads back as enabled, and removes it', async () => {
    const exec = path.join(tmp.home, 'Apps', 'Switch board.AppImage');
    expect(await isAutostartEnabled(tmp.env)).toBe(false);
    await setAutostart(true, { exec, args: ['--hidden'], env: tmp.env });
    const text = await fs.readFile(autostartPath(tmp.env), 'utf8');
    expect(text).toBe(autostartEntry({ exec, args: ['--hidden'] }));
    expect(text).toContain(`Exec="${exec}" --hidden\n`);
    expect(text.startsWith('[Desktop Entry]\nType=Application\n')).toBe(true);
    expect((await fs.stat(autostartPath(tmp.env))).mode & 0o777).toBe(0o644);
    expect(await isAutostartEnabled(tmp.env)).toBe(true);

    await setAutostart(false, { exec, env: tmp.env });
    await expect(fs.access(autostartPath(tmp.env))).rejects.toThrow();
    expect(await isAutostartEnabled(tmp.env)).toBe(false);
    // Turning off twice is fine.
    await setAutostart(false, { exec, env: tmp.env });
  });

  it('never overwrites or deletes a file it did not write', async () => {
    const file = autostartPath(tmp.env);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, '[Desktop Entry]\nName=Something else\n');
    await expect(setAutostart(true, { exec: '/x', env: tmp.env })).rejects.toThrow(
      /not written by Switchboard/,
    );
    await expect(setAutostart(false, { exec: '/x', env: tmp.env })).rejects.toThrow();
    expect(await fs.readFile(file, 'utf8')).toBe('[Desktop Entry]\nName=Something else\n');
    expect(await isAutostartEnabled(tmp.env)).toBe(false);
  });
});
