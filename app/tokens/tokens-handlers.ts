import type { Handlers } from '../contract/dispatch.js';
import type { IssuedDto } from '../contract/tokens-contract.js';
import type { Services } from '../services.js';
import { testConnection } from '../tester/test-connection.js';
import { testProject } from '../tester/test-project.js';
import type { IssuedToken } from './tokens-service.js';

type TokenChannels =
  | 'tokens.list'
  | 'tokens.add'
  | 'tokens.mint'
  | 'tokens.rotate'
  | 'tokens.revoke'
  | 'tokens.remove'
  | 'connection.test';

/** Only a minted value goes back to the window (for the shown-once dialog); pasted ones never. */
function issued(result: IssuedToken): IssuedDto {
  return {
    token: result.token,
    ...(result.token.source === 'minted' ? { mintedValue: result.value } : {}),
    ...(result.replaced ? { replaced: result.replaced } : {}),
  };
}

export function tokensHandlers(services: Services): Pick<Handlers, TokenChannels> {
  const { tokens, projects } = services;
  return {
    'tokens.list': (input) => tokens.list(input?.project),
    'tokens.add': async (input) => issued(await tokens.add({ ...input, source: 'pasted' })),
    'tokens.mint': async (input) => issued(await tokens.mint(input)),
    'tokens.rotate': async (input) => issued(await tokens.rotate(input)),
    'tokens.revoke': (input) => tokens.revoke(input),
    'tokens.remove': (input) => tokens.remove(input),
    'connection.test': async (input) => {
      if ('project' in input) {
        const project = await projects.get(input.project);
        return testProject(
          { dataDir: services.dataDir, env: services.env, project },
          { expectTools: input.expectTools, timeoutMs: input.timeoutMs },
        );
      }
      return testConnection({
        url: input.url,
        headers: {
          ...(input.headers ?? {}),
          ...(input.token ? { Authorization: `Bearer ${input.token}` } : {}),
        },
        secretValues: input.token ? [input.token] : [],
        timeoutMs: input.timeoutMs,
      });
    },
  };
}
