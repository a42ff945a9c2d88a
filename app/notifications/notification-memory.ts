import path from 'node:path';
import { JsonStore } from '../store/json-store.js';
import { literal, object, recordOf, shapeValidator, type Check } from '../store/shape.js';

const num: Check = (v, at) =>
  typeof v === 'number' && Number.isFinite(v)
    ? undefined
    : { path: at, message: 'expected a number' };
import type { GateMemory } from './notification-gate.js';

export const NOTIFICATIONS_FILE = 'notifications.json';

interface MemoryFile extends GateMemory {
  version: 1;
}

/**
 * Which notices were shown and snoozed, in `<dataDir>/notifications.json`, so a restart neither
 * repeats a notice nor ends a snooze. Holds project ids and causes only, never messages.
 */
export function notificationMemoryStore(dataDir: string): JsonStore<MemoryFile> {
  return new JsonStore<MemoryFile>({
    path: path.join(dataDir, NOTIFICATIONS_FILE),
    schema: shapeValidator<MemoryFile>(
      object({ version: literal(1), shown: recordOf(num), snoozedUntil: recordOf(num) }),
    ),
    version: 1,
    empty: () => ({ version: 1, shown: {}, snoozedUntil: {} }),
  });
}

export async function loadNotificationMemory(dataDir: string): Promise<GateMemory> {
  const { shown, snoozedUntil } = await notificationMemoryStore(dataDir).read();
  return { shown, snoozedUntil };
}

export function saveNotificationMemory(dataDir: string, memory: GateMemory): Promise<void> {
  return notificationMemoryStore(dataDir).update(() => ({
    next: { version: 1, ...memory },
    result: undefined,
  }));
}
