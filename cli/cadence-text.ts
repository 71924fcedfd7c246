import { cadenceSourceText, type EffectiveCadence } from '../shared/api/cadence-methods.js';
import { cadenceStep, describeCadenceStep, parseCadenceSpec, type Cadence, type CadenceChanges } from '../shared/domain/cadence.js';
import { ConnError } from '../shared/domain/errors.js';
import { SEVERITIES } from '../shared/domain/severity.js';

/*
 * The update cadence as a terminal reads and writes it: `SEV1=15m,SEV2=5m/30m,SEV5=none` in,
 * one line per severity out. Shared by `conn cadence` and `conn hub cadence`.
 */

/** The arguments joined and read; a mistake is exit 2 with the entry at fault, before anything opens. */
export function cadenceArgs(args: readonly string[]): CadenceChanges {
  try {
    return parseCadenceSpec(args.join(','));
  } catch (err) {
    if (err instanceof RangeError) throw new ConnError('invalid-input', err.message);
    throw err;
  }
}

/** One line per severity, the default beside any entry that differs from it. */
export function cadenceLines(cadence: Cadence, defaults: Cadence): string[] {
  return SEVERITIES.map((s) => {
    const [mine, dflt] = [describeCadenceStep(cadenceStep(cadence, s)), describeCadenceStep(cadenceStep(defaults, s))];
    return `  SEV${s}  ${mine}${mine === dflt ? '' : `  (default: ${dflt})`}`;
  });
}

export function effectiveCadenceText(e: EffectiveCadence): string {
  return [`Stakeholder-update cadence: ${cadenceSourceText(e)}`, ...cadenceLines(e.cadence, e.defaults)].join('\n');
}
