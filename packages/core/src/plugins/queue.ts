/**
 * A promise queue: the operations on one plugin run one after another, in call order.
 *
 * @module
 * @internal
 */

/**
 * Runs async operations strictly one at a time, in the order they were queued; a failed operation
 * does not stop the ones after it.
 *
 * @internal
 */
export class OperationQueue {
  #tail: Promise<void> = Promise.resolve();
  #pending = 0;

  /** True when no operation is running or waiting. */
  get idle(): boolean {
    return this.#pending === 0;
  }

  /**
   * Queues an operation.
   *
   * @param operation - runs once every earlier operation has settled
   * @returns what the operation returns or throws
   */
  run<T>(operation: () => T | Promise<T>): Promise<T> {
    this.#pending++;
    const result = this.#tail.then(operation);
    const done = () => {
      this.#pending--;
    };
    this.#tail = result.then(done, done);
    return result;
  }
}
