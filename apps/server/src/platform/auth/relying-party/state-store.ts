import type { PendingSignIn } from './types';

/** The result of taking a pending sign-in by its state: each state can be taken once. */
export type TakenSignIn =
  | { status: 'pending'; pending: PendingSignIn }
  | { status: 'used' }
  | { status: 'unknown' };

/**
 * Server-side storage of started sign-ins (SQL or Redis in production so any node can finish a
 * sign-in another started). `take` must be atomic: of two concurrent takes of one state, one wins.
 * A taken state is remembered as used until the attempt would have expired, so a replay is told
 * apart from a state that never existed.
 */
export interface SignInStateStore {
  save(pending: PendingSignIn): Promise<void>;
  take(state: string, nowSeconds: number): Promise<TakenSignIn>;
}

/** In-process store, for tests and the single-node embedded default. */
export class MemorySignInStateStore implements SignInStateStore {
  readonly #pending = new Map<string, PendingSignIn>();
  readonly #used = new Map<string, number>();

  async save(pending: PendingSignIn): Promise<void> {
    if (this.#pending.has(pending.state) || this.#used.has(pending.state)) {
      throw new Error('A sign-in with this state already exists');
    }
    this.#pending.set(pending.state, pending);
  }

  async take(state: string, nowSeconds: number): Promise<TakenSignIn> {
    this.#forgetExpired(nowSeconds);
    const pending = this.#pending.get(state);
    if (pending) {
      this.#pending.delete(state);
      this.#used.set(state, pending.expiresAt);
      return { status: 'pending', pending };
    }
    return this.#used.has(state) ? { status: 'used' } : { status: 'unknown' };
  }

  #forgetExpired(nowSeconds: number): void {
    for (const [state, pending] of this.#pending) {
      if (pending.expiresAt < nowSeconds) this.#pending.delete(state);
    }
    for (const [state, expiresAt] of this.#used) {
      if (expiresAt < nowSeconds) this.#used.delete(state);
    }
  }
}
