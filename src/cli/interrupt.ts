/**
 * Turns SIGINT/SIGTERM into a flag that the runner polls between replications, so that an
 * interrupted run keeps and summarises what finished (marked complete: false) instead of dying.
 */
export interface Interrupts {
  readonly requested: () => boolean;
  release(): void;
}

export function catchInterrupts(notify?: () => void): Interrupts {
  let requested = false;
  const onSignal = () => {
    requested = true;
    notify?.();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    requested: () => requested,
    release: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
