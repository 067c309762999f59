import { z } from 'zod';
import type { LedgerVerifyResult, QuarantineItem } from './types.js';

/**
 * The IPC contract: one entry per channel, with the argument schema main validates and the result type.
 * The Electron preload and the browser bridge both implement {@link CustodianApi}, so the renderer cannot
 * tell them apart.
 */
export const channels = {
  'ledger:verify': { args: z.tuple([]) },
  'quarantine:list': { args: z.tuple([z.object({ all: z.boolean().optional() }).strict()]) },
} as const;

/** Channel name. */
export type Channel = keyof typeof channels;

/** Result type per channel. */
export type ChannelResult = {
  'ledger:verify': LedgerVerifyResult;
  'quarantine:list': QuarantineItem[];
};

/** Validated argument tuple per channel. */
export type ChannelArgs<C extends Channel> = z.infer<(typeof channels)[C]['args']>;

/** `window.custodian`: one function per message, no generic send. */
export type CustodianApi = {
  verifyLedger(): Promise<ChannelResult['ledger:verify']>;
  listQuarantine(options: { all?: boolean }): Promise<ChannelResult['quarantine:list']>;
};
