import { useEffect } from 'react';
import { useUpdatesStore } from './updates-store.js';

/** Keeps the deliveries of the incident on screen current: on opening it, and whenever an update is added to it (here or by a teammate). */
export function DeliveryWatch({ incidentId, updatesPosted }: { incidentId: string; updatesPosted: number }) {
  useEffect(() => {
    useUpdatesStore.getState().watch(incidentId);
    return () => useUpdatesStore.getState().watch(null);
  }, [incidentId]);
  useEffect(() => {
    if (updatesPosted > 0) void useUpdatesStore.getState().refresh();
  }, [updatesPosted]);
  return null;
}
