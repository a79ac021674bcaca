import { appendTo } from './multimap.js';

/**
 * Synchronous publish/subscribe between components. Handlers run in subscription order,
 * so delivery is deterministic. Topics are plain strings owned by the publishing model
 * (the engine knows no domain); payload types are declared beside the publisher.
 */
export class Bus {
  private readonly handlers = new Map<string, ((payload: any) => void)[]>();

  on<P>(topic: string, handler: (payload: P) => void): void {
    appendTo(this.handlers, topic, handler);
  }

  emit<P>(topic: string, payload: P): void {
    const list = this.handlers.get(topic);
    if (list) for (const h of list) h(payload);
  }
}
