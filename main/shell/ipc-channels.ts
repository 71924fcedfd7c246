import { z } from 'zod';
import type { ShellMethod, SystemAudioSupport } from '../../shared/api/contract.js';
import { defineChannel, type ChannelSpec } from './ipc-registry.js';
import { isSafeExternalUrl } from './navigation.js';
import { MAX_HUB_TOKEN_CHARS } from './hub-token.js';

/*
 * The shell's own methods (SHELL_METHOD_NAMES in the contract), one schema and one size limit
 * each. Everything else the renderer wants goes to the core over its MessagePort.
 */

export interface ShellChannelDeps {
  appInfo(): { version: string; platform: string; electron: string };
  openExternal(url: string): Promise<void> | void;
  setHubToken(token: string): void;
  clearHubToken(): void;
  /** Returns the update policy's reason when it did not restart. */
  restartToUpdate(): { restarting: boolean; reason: string };
  /** Whether Record can also take this computer's sound here (system-audio.ts). */
  systemAudio(): SystemAudioSupport;
  /** Lets the next getDisplayMedia capture it; false where it cannot. */
  armSystemAudio(): boolean;
}

const Empty = z.object({}).strict();

export function shellChannels(deps: ShellChannelDeps): Record<ShellMethod, ChannelSpec> {
  return {
    'shell.appInfo': defineChannel({ schema: Empty, maxBytes: 64, handler: () => deps.appInfo() }),
    'shell.openExternal': defineChannel({
      schema: z.object({ url: z.string().max(2048).refine(isSafeExternalUrl, 'only https links open outside Conn') }).strict(),
      maxBytes: 2200,
      handler: async ({ url }) => {
        await deps.openExternal(url);
        return null;
      },
    }),
    'shell.setHubToken': defineChannel({
      schema: z.object({ token: z.string().trim().min(1, 'the token is empty').max(MAX_HUB_TOKEN_CHARS) }).strict(),
      maxBytes: MAX_HUB_TOKEN_CHARS + 64,
      handler: ({ token }) => {
        deps.setHubToken(token);
        return null;
      },
    }),
    'shell.clearHubToken': defineChannel({
      schema: Empty,
      maxBytes: 64,
      handler: () => {
        deps.clearHubToken();
        return null;
      },
    }),
    'shell.restartToUpdate': defineChannel({ schema: Empty, maxBytes: 64, handler: () => deps.restartToUpdate() }),
    'shell.systemAudio': defineChannel({ schema: Empty, maxBytes: 64, handler: () => deps.systemAudio() }),
    'shell.armSystemAudio': defineChannel({ schema: Empty, maxBytes: 64, handler: () => ({ armed: deps.armSystemAudio() }) }),
  };
}
