import { useSyncExternalStore } from 'react';

const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};

/** True while the location hash is `#/audit…`: the audit window's route. */
export function useAuditRoute(): boolean {
  return useSyncExternalStore(subscribe, () => window.location.hash.startsWith('#/audit'));
}

function routeParam(hash: string, name: 'project' | 'session'): string | undefined {
  const q = hash.indexOf('?');
  if (!hash.startsWith('#/audit') || q === -1) return undefined;
  return new URLSearchParams(hash.slice(q + 1)).get(name) || undefined;
}

/** The project the audit window was opened for (`#/audit?project=<id>`), if any. */
export function routeProject(hash: string): string | undefined {
  return routeParam(hash, 'project');
}

export function useAuditRouteProject(): string | undefined {
  return useSyncExternalStore(subscribe, () => routeProject(window.location.hash));
}

/** The bridge session the audit window was opened for (`#/audit?…&session=<id>`), if any. */
export function routeSession(hash: string): string | undefined {
  return routeParam(hash, 'session');
}

export function useAuditRouteSession(): string | undefined {
  return useSyncExternalStore(subscribe, () => routeSession(window.location.hash));
}
