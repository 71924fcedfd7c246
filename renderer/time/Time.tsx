import { formatInZone } from '../../shared/time/zone.js';
import { useProfileStore, viewerZone } from '../stores/profile-store.js';
import { useUiStore } from '../stores/ui-store.js';

/** A timestamp in the viewer's zone (or UTC when toggled), with the UTC time on hover. */
export function Time({ iso, date = true }: { iso: string; date?: boolean }) {
  const zone = viewerZone(useProfileStore((s) => s.profile));
  const showUtc = useUiStore((s) => s.showUtc);
  const utc = formatInZone(iso, 'UTC', { date: true });
  return (
    <time dateTime={iso} title={utc}>
      {formatInZone(iso, showUtc ? 'UTC' : zone, { date, seconds: false })}
    </time>
  );
}
