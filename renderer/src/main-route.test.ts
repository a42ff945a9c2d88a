import { describe, expect, it } from 'vitest';
import { auditRoute, mainRoute } from '../../app/tray/main-route';
import { routeProject, routeSession } from './audit/route';
import { firstTime, parseMainRoute } from './main-route';

describe('main window routes from the tray', () => {
  it('reads back every target main builds, and nothing else', () => {
    const install = parseMainRoute(
      `#${mainRoute({ projectId: 'prj_a', view: 'install', clientId: 'cursor', operation: 'uninstall' })}`,
    );
    expect(install).toMatchObject({
      projectId: 'prj_a',
      view: 'install',
      clientId: 'cursor',
      operation: 'uninstall',
      at: expect.stringMatching(/^\d+$/),
    });
    expect(parseMainRoute(`#${mainRoute({ projectId: 'prj_b', view: 'tokens' })}`)).toMatchObject({
      projectId: 'prj_b',
      view: 'tokens',
    });
    expect(mainRoute()).toBe('');
    expect(parseMainRoute('#/audit?project=prj_a')).toBeUndefined();
    expect(parseMainRoute('#/project?view=tokens')).toBeUndefined();
    expect(parseMainRoute('#/project?id=prj_a&view=rm&op=format')).toEqual({ projectId: 'prj_a' });
  });

  it('opens the audit window on a project and one of its sessions', () => {
    const hash = `#${auditRoute({ projectId: 'prj_a', sessionId: 's 1' })}`;
    expect(routeProject(hash)).toBe('prj_a');
    expect(routeSession(hash)).toBe('s 1');
    expect(auditRoute()).toBe('/audit');
    expect(routeSession(`#${auditRoute({ projectId: 'prj_a' })}`)).toBeUndefined();
  });

  it('acts on a request once, even when its panel mounts again', () => {
    const route = { projectId: 'prj_a', view: 'install' as const, clientId: 'zed', at: '1' };
    expect(firstTime(route, 'install')).toBe(true);
    expect(firstTime(route, 'install')).toBe(false);
    expect(firstTime({ ...route, at: '2' }, 'install')).toBe(true);
  });
});
