import type { AppliedAlerts } from '../alerts/alert-plan.js';
import type { InboundAlert } from '../alerts/inbound.js';
import type { Integration, IntegrationKind, IntegrationSettings, NewIntegration } from '../alerts/integration.js';

/**
 * The hub's alert integrations (server/alerts/): each a token for one team's alerting tool and
 * the team's settings for it. Both stores implement it (sqlite-integrations.ts,
 * postgres-integrations.ts) beside their commit, because applying alerts must happen inside the
 * same transaction as the events it writes.
 */
export interface IntegrationStore {
  /** A new integration and its token (shown once; only a salted hash is kept). Re-adding a revoked one starts it afresh; an active one is 'conflict'. */
  addIntegration(team: string, name: string, kind: IntegrationKind, settings: IntegrationSettings): Promise<NewIntegration>;
  /** The team's integrations, revoked ones included, by name. */
  integrations(team: string): Promise<Integration[]>;
  /** Replaces an integration's settings; null when there is no such integration. */
  updateIntegration(team: string, name: string, settings: IntegrationSettings): Promise<Integration | null>;
  /** False when there is no such integration. */
  revokeIntegration(team: string, name: string): Promise<boolean>;
  /** The integration a token belongs to (revoked or not), or null for an unknown or wrong token. */
  authenticateIntegration(token: string): Promise<Integration | null>;
  /** Applies a post's alerts in one transaction under the team's lock (alert-plan.ts). */
  commitAlerts(integration: Integration, alerts: readonly InboundAlert[], stamp: () => string): Promise<AppliedAlerts>;
}

/** An integration row as both stores select it (joined with its team). */
export interface IntegrationRow {
  id: string;
  team_id: string;
  team: string;
  name: string;
  kind: IntegrationKind;
  settings: string;
  salt: string;
  token_hash: string;
  revoked_at: string | Date | null;
  created_at: string | Date;
}

/** `%text%` for LIKE/ILIKE with ESCAPE '\': the text's own %, _ and \ match only themselves. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
