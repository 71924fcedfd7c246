import { ConnError } from '../../shared/domain/errors.js';
import { CHANNEL_KINDS, type ChannelKind } from '../../shared/updates/delivery-protocol.js';

/*
 * What `conn hub channel add` accepts. A channel that could never deliver is refused when it is
 * added, with the reason, rather than failing at 3 a.m. when the first update goes out.
 */

export const STATUSPAGE_API = 'https://api.statuspage.io';

export interface ChannelInput {
  name: string;
  kind: ChannelKind;
  url: string;
  secret?: string | undefined;
  pageId?: string | undefined;
  apiKey?: string | undefined;
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/i;

/** Why a channel URL cannot be used, or null. */
function urlProblem(u: string): string | null {
  if (u.length > 2000) return 'the URL is over 2000 characters';
  if (!URL.canParse(u)) return 'the URL is not a URL: give it whole, with https://';
  const url = new URL(u);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'the URL must be http:// or https://';
  if (url.username !== '' || url.password !== '') return 'the URL must not carry a user or password: use --secret or --api-key';
  return null;
}

/** The channel as it will be stored, or a ConnError ('invalid-input') naming what is wrong. */
export function checkChannel(input: ChannelInput): ChannelInput {
  const bad = (m: string) => new ConnError('invalid-input', `channel "${input.name}": ${m}`);
  if (!NAME.test(input.name)) throw new ConnError('invalid-input', `"${input.name}" is not a channel name: letters, digits, ".", "_" and "-", up to 63`);
  if (!(CHANNEL_KINDS as readonly string[]).includes(input.kind)) throw bad(`--kind must be one of ${CHANNEL_KINDS.join(', ')}`);
  const url = input.kind === 'statuspage' ? input.url || STATUSPAGE_API : input.url;
  const problem = urlProblem(url);
  if (problem) throw bad(problem);
  if (input.kind === 'webhook') {
    // The receiver checks the signature with this key: a short one can be guessed offline.
    if (!input.secret || input.secret.length < 16) throw bad('a webhook needs --secret of at least 16 characters (make one with `openssl rand -hex 32`)');
    if (input.secret.length > 200) throw bad('--secret is over 200 characters');
  } else if (input.secret !== undefined) {
    throw bad(`--secret is for webhook channels; a ${input.kind} channel does not sign`);
  }
  if (input.kind === 'statuspage') {
    if (!input.pageId || !/^[a-z0-9]{1,64}$/i.test(input.pageId)) throw bad('a statuspage channel needs --page-id (letters and digits, from the page\'s API settings)');
    if (!input.apiKey || input.apiKey.length < 8 || input.apiKey.length > 200) throw bad('a statuspage channel needs --api-key (8 to 200 characters)');
  } else if (input.pageId !== undefined || input.apiKey !== undefined) {
    throw bad(`--page-id and --api-key are for statuspage channels`);
  }
  return {
    name: input.name,
    kind: input.kind,
    url,
    ...(input.secret !== undefined ? { secret: input.secret } : {}),
    ...(input.pageId !== undefined ? { pageId: input.pageId } : {}),
    ...(input.apiKey !== undefined ? { apiKey: input.apiKey } : {}),
  };
}
