import { useSyncExternalStore } from 'react';

/** Where the tray (or a notification) asked the main window to open. See app/tray/main-route.ts. */
export interface MainRoute {
  projectId: string;
  view?: 'overview' | 'tokens' | 'install';
  clientId?: string;
  operation?: 'install' | 'uninstall';
  /** Distinguishes two requests for the same place. */
  at?: string;
}

const VIEWS = new Set(['overview', 'tokens', 'install']);

export function parseMainRoute(hash: string): MainRoute | undefined {
  if (!hash.startsWith('#/project?')) return undefined;
  const q = new URLSearchParams(hash.slice('#/project?'.length));
  const projectId = q.get('id');
  if (!projectId) return undefined;
  const view = q.get('view');
  const op = q.get('op');
  const client = q.get('client');
  const at = q.get('at');
  return {
    projectId,
    ...(view && VIEWS.has(view) && { view: view as MainRoute['view'] }),
    ...(client && { clientId: client }),
    ...((op === 'install' || op === 'uninstall') && { operation: op }),
    ...(at && { at }),
  };
}

const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};

/** The route as a string (stable for useSyncExternalStore); parse it with parseMainRoute. */
export function useMainRouteHash(): string {
  return useSyncExternalStore(subscribe, () =>
    window.location.hash.startsWith('#/project?') ? window.location.hash : '',
  );
}

const handled = new Set<string>();

/**
 * True the first time a route's request is seen: a panel that remounts (the user comes back to
 * the project) must not open the same preview or move focus again.
 */
export function firstTime(route: MainRoute, what: string): boolean {
  const key = `${what}:${route.projectId}:${route.clientId ?? ''}:${route.operation ?? ''}:${route.at ?? ''}`;
  if (handled.has(key)) return false;
  handled.add(key);
  return true;
}
