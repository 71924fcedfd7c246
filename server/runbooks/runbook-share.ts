import type { Server } from 'socket.io';
import { ConnError } from '../../shared/domain/errors.js';
import {
  PublishRunbookRequestSchema,
  RUNBOOK_HUB_EVENTS,
  RunbookPullRequestSchema,
  type PublishRunbookAck,
  type RunbookPullResponse,
} from '../../shared/runbooks/hub-protocol.js';
import { BREAKGLASS_PACK_NAME, parseBreakGlass } from '../../shared/runbooks/breakglass.js';
import { parseRunbook } from '../../shared/runbooks/document.js';
import type { Member } from '../store/store.js';
import type { HubRunbookStore } from './runbook-store.js';

/*
 * The hub's runbook handlers, served through the hub's own request path (authentication,
 * per-socket queue, member re-read), so a revoked token cannot publish either.
 */

type Serve = (kind: string, handler: (member: Member, payload: unknown) => Promise<unknown>) => void;

export function serveRunbooks(serve: Serve, io: Server, store: HubRunbookStore | undefined, teamRoom: (teamId: string) => string): void {
  const need = (): HubRunbookStore => {
    if (!store) throw new ConnError('unavailable', 'this hub was started without runbook sharing; runbooks stay in each cockpit until it is');
    return store;
  };

  serve(RUNBOOK_HUB_EVENTS.publish, async (member, payload): Promise<PublishRunbookAck> => {
    const req = PublishRunbookRequestSchema.safeParse(payload);
    if (!req.success) throw new ConnError('invalid-input', `runbook.publish: ${req.error.issues[0]?.message ?? 'malformed request'}`);
    if (member.role === 'viewer') throw new ConnError('forbidden', `${member.name} is a viewer in team "${member.team}" and cannot publish runbooks`);
    // The pack is the phone numbers and bridges everyone dials when all else is down: a member
    // who could replace it could send the whole team to the wrong bridge.
    if (req.data.name === BREAKGLASS_PACK_NAME && member.role !== 'admin') {
      throw new ConnError('forbidden', `only a team admin may publish the break-glass pack, and ${member.name} is a ${member.role} in team "${member.team}": ask an admin to publish it`);
    }
    // The same checks as an import: a runbook the hub stores is one every teammate can open.
    parseRunbook(req.data.name, req.data.content);
    // The break-glass pack travels as this runbook: the hub keeps only packs every teammate can read.
    if (req.data.name === BREAKGLASS_PACK_NAME) parseBreakGlass(req.data.content);
    const r = await need().publish({ teamId: member.teamId, author: member.name, ...req.data });
    if (r.created) io.to(teamRoom(member.teamId)).emit(RUNBOOK_HUB_EVENTS.published, { seq: r.seq, name: req.data.name });
    return { seq: r.seq, version: r.version, head: r.head };
  });

  serve(RUNBOOK_HUB_EVENTS.pull, async (member, payload): Promise<RunbookPullResponse> => {
    const req = RunbookPullRequestSchema.safeParse(payload);
    if (!req.success) throw new ConnError('invalid-input', `runbook.pull: ${req.error.issues[0]?.message ?? 'malformed request'}`);
    const p = await need().pull(member.teamId, req.data.after, req.data.limit);
    const last = p.runbooks[p.runbooks.length - 1]?.seq ?? req.data.after;
    return { runbooks: p.runbooks, head: p.head, more: last < p.head };
  });
}
