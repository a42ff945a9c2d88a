import type { Handlers } from '../contract/dispatch.js';
import type { Services } from '../services.js';

type ClientChannels =
  | 'clients.list'
  | 'clients.preview'
  | 'clients.install'
  | 'clients.uninstall'
  | 'doctor.findings'
  | 'doctor.preview'
  | 'doctor.fix'
  | 'doctor.importPreview'
  | 'doctor.importGrant'
  | 'doctor.deletePlaintext';

/** Drops `undefined` fields so strict output schemas see only what is there. */
function clean<T extends object>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function clientsHandlers(services: Services): Pick<Handlers, ClientChannels> {
  const { clients, doctor, mcpRemoteImport } = services;
  return {
    'clients.list': async () => clean(await clients.list()),
    'clients.preview': async ({ operation, project, ...target }) =>
      clean(
        operation === 'install'
          ? await clients.planInstall(target, project)
          : await clients.planUninstall(target, project),
      ),
    'clients.install': async ({ project, expectSha256, ...target }) =>
      clean(await clients.install(target, project, { expectSha256 })),
    'clients.uninstall': async ({ project, expectSha256, ...target }) =>
      clean(await clients.uninstall(target, project, { expectSha256 })),
    'doctor.findings': async () => {
      await mcpRemoteImport.rollBackInterrupted();
      return clean(await doctor.findings());
    },
    'doctor.preview': async ({ id }) => clean(await doctor.planFix(id)),
    'doctor.fix': async ({ id }) => clean(await doctor.fix(id)),
    'doctor.importPreview': async ({ id }) => clean(await mcpRemoteImport.preview(id)),
    // The window shows the consent dialog before it calls this: reaching here is the yes — for
    // exactly what the dialog showed (`expect`); anything else is refused.
    'doctor.importGrant': async ({ id, expect }) =>
      clean(
        await mcpRemoteImport.import(id, { source: 'window', expect, confirm: async () => true }),
      ),
    'doctor.deletePlaintext': async ({ id }) => clean(await mcpRemoteImport.deletePlaintext(id)),
  };
}
