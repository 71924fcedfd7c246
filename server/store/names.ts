import { ConnError } from '../../shared/domain/errors.js';
import { LIMITS } from '../../shared/domain/limits.js';
import { INTEGRATION_PREFIX, isIntegrationName } from '../../shared/domain/authority.js';

/** Team names are typed on command lines and shown in errors: short, lower-case, no spaces. */
export function checkTeamName(input: string): string {
  const name = input.trim().toLowerCase();
  if (!/^[a-z0-9][a-z0-9._-]{0,62}$/.test(name)) {
    throw new ConnError('invalid-input', `team "${input}" is not a valid name: use up to 63 lower-case letters, digits, ".", "_" or "-"`);
  }
  return name;
}

export function checkMemberName(input: string): string {
  const name = input.trim();
  if (name.length === 0 || name.length > LIMITS.nameChars) {
    throw new ConnError('invalid-input', `a member name is 1 to ${LIMITS.nameChars} characters`);
  }
  if (isIntegrationName(name)) {
    throw new ConnError('invalid-input', `a member name may not start with "${INTEGRATION_PREFIX}": that prefix names the team's alert integrations`);
  }
  return name;
}
