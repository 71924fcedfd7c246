import { ConnError } from '../../shared/domain/errors.js';
import type { IntegrationRow } from '../store/integration-store.js';
import { parseStoredSettings, type Integration } from './integration.js';

export function toIntegration(r: IntegrationRow): Integration {
  const created = r.created_at instanceof Date ? r.created_at.toISOString() : r.created_at;
  return { id: r.id, teamId: r.team_id, team: r.team, name: r.name, kind: r.kind, settings: parseStoredSettings(r.settings), revoked: r.revoked_at !== null, createdAt: created };
}

export function noSuchTeam(team: string): ConnError {
  return new ConnError('not-found', `there is no team "${team}" on this hub: invite its first member with \`conn hub invite NAME --team ${team}\``);
}

export function integrationExists(team: string, name: string): ConnError {
  return new ConnError('conflict', `team "${team}" already has an integration "${name}": revoke it first (\`conn hub integration revoke ${name} --team ${team}\`) or pick another name`);
}
