/** How often background work runs: the first time a while after start, then every so often. */
export interface Timing {
  firstMs: number;
  everyMs: number;
}

/**
 * Runs `task` in the background, first after `timing.firstMs` and then `timing.everyMs` after each
 * run ends, never two at once in this process; a failed run goes to `onError` and the next comes as
 * usual. The timers never keep the process alive. stop() waits for a run under way, so what the
 * task uses (the database) is not closed beneath it.
 */
export function runPeriodically(
  task: () => Promise<unknown>,
  timing: Timing,
  onError: (error: unknown) => void,
): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const run = (): void => {
    running = task()
      .then(() => undefined, onError)
      .finally(() => {
        if (!stopped) timer = setTimeout(run, timing.everyMs).unref();
      });
  };
  timer = setTimeout(run, timing.firstMs).unref();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      return running;
    },
  };
}
