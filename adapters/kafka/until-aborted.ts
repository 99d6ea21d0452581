/** `work`, unless `signal` aborts first (then `abortError()`); work's own failure is then ignored. */
export function untilAborted<T>(signal: AbortSignal | undefined, work: Promise<T>, abortError: () => Error): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(abortError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
