import fs from 'node:fs';
import { promisify } from 'node:util';

// node:fs's callback API as promises, for what a bridge does first thing (read its data files,
// open its audit segment): node:fs/promises costs ~1.8 ms of start-up to load, readline
// included. Modules that touch the disk only later load that one lazily (lazy-builtin.ts).
export const mkdir = promisify(fs.mkdir);
export const open = promisify(fs.open);
export const fstat = promisify(fs.fstat);
export const readFile = promisify(fs.readFile);
export const writeFile = promisify(fs.writeFile);
export const close = promisify(fs.close);
