import type { CoreNotification } from '../../../shared/api/contract.js';

/*
 * The core's notifications, in one typed bus: the event store announces what a commit changed,
 * sync announces its status and presence, runbook sharing a changed library. Every API server
 * (MessagePort, WebSocket, in-process) forwards what it hears to its clients. Listeners run
 * after the change is committed, never inside a transaction that could still roll back.
 */

export type NotificationType = CoreNotification['type'];
export type NotificationOf<T extends NotificationType> = Extract<CoreNotification, { type: T }>;

export class CoreBus {
  private readonly listeners = new Set<(n: CoreNotification) => void>();

  emit(n: CoreNotification): void {
    // A copy: a listener may unsubscribe (or subscribe) while being told.
    for (const l of [...this.listeners]) l(n);
  }

  /** Every notification. Returns the unsubscribe function. */
  on(listener: (n: CoreNotification) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Notifications of one type, typed by it. */
  onType<T extends NotificationType>(type: T, listener: (n: NotificationOf<T>) => void): () => void {
    return this.on((n) => {
      if (n.type === type) listener(n as NotificationOf<T>);
    });
  }
}
