import type { StateCreator } from 'zustand';
import type { TokenViewDto } from '../../../app/contract/tokens-contract';
import type { AppState } from './index';

export interface TokensSlice {
  tokens: TokenViewDto[];
  tokensLoaded: boolean;
  setTokens: (tokens: TokenViewDto[]) => void;
}

export const createTokensSlice: StateCreator<AppState, [], [], TokensSlice> = (set) => ({
  tokens: [],
  tokensLoaded: false,
  setTokens: (tokens) => set({ tokens, tokensLoaded: true }),
});
