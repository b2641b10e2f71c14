/**
 * Takes the next element of an async iterable while the caller works on the current one, so that the
 * producer's work (reading a file, parsing, a query) overlaps the caller's. One element ahead at most.
 * A producer's error surfaces where its element would have been taken; leaving early waits for the
 * element in progress, then closes the source.
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T, void, undefined> {
  const iterator = source[Symbol.asyncIterator]();
  let next = iterator.next();
  // a rejection is handled where it is awaited; keep it from counting as unhandled meanwhile
  next.catch(() => undefined);
  let finished = false;
  try {
    for (;;) {
      const result = await next;
      if (result.done === true) {
        finished = true;
        return;
      }
      next = iterator.next();
      next.catch(() => undefined);
      yield result.value;
    }
  } catch (error) {
    finished = true;
    throw error;
  } finally {
    if (!finished) {
      const pending = await next.catch(() => ({ done: true as const, value: undefined }));
      if (pending.done !== true) await iterator.return?.();
    }
  }
}
