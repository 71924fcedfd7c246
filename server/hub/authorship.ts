import type { ConnEvent } from '../../shared/domain/events.js';
import type { PushRejection } from '../../shared/sync/protocol.js';
import type { Member } from '../store/store.js';

/*
 * Every event a member pushes must be signed with that member's own name: the hub compares the
 * event's `author.name` with the name the member was invited under (trimmed, case-insensitive),
 * so nobody can post as someone else. Redaction rights (server/store/commit.ts) rest on the same
 * names.
 */

function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** The rejection for an event not signed by `member`, or undefined when the author is the member. */
export function authorshipRejection(member: Member, event: ConnEvent): PushRejection | undefined {
  if (sameName(event.author.name, member.name)) return undefined;
  return {
    id: event.id,
    code: 'forbidden',
    message: `this event is signed ${JSON.stringify(event.author.name)} but your token is for ${JSON.stringify(member.name)}: set your name with \`conn profile --name ${member.name}\` (or ask a team admin to invite you under the name you use in Conn)`,
  };
}
