import type { Time } from '../engine/index.js';
import { SECOND } from '../engine/index.js';

/**
 * client-go flowcontrol token bucket as the node lifecycle controller uses it
 * (RateLimitedTimedQueue: qps, burst 1). qps 0 is the "never" limiter of a disrupted zone.
 */
export class TokenBucket {
  private tokens: number;
  private last: Time;

  constructor(readonly qps: number, now: Time, readonly burst = 1) {
    this.tokens = burst;
    this.last = now;
  }

  tryAccept(now: Time): boolean {
    if (this.qps <= 0) return false;
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / SECOND) * this.qps);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** SwapLimiter: a new bucket at `qps`, drained if the old one was waiting (as in scheduler/rate_limited_queue.go). */
  swap(qps: number, now: Time): TokenBucket {
    if (qps === this.qps) return this;
    const next = new TokenBucket(qps, now, this.burst);
    if (qps > 0 && !this.tryAccept(now)) next.tryAccept(now);
    return next;
  }
}
