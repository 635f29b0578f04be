/**
 * The "Confirm or roll back" countdown after a safe apply, as a small state machine plus a driver
 * with an injected clock. Pure: no `vscode` import (the UI in apply-ui.ts renders it).
 *
 * Timing: the router arms its own rollback timer just before it applies (safe-apply.ts `armedAt`).
 * The engine's confirm opens a NEW SSH connection after `beforeConfirm` resolves, and that
 * connection plus the confirm exec must land before the router's timer fires, so the user's
 * countdown ends `confirmMarginMs` before the router's deadline. When the user's countdown ends
 * without an answer, the decision is "roll back" (the engine then rolls back at once instead of
 * waiting for the router's timer).
 */
export type CountdownState =
  | { phase: 'pending'; deadline: number }
  | { phase: 'confirmed' }
  | { phase: 'rolled-back'; by: 'user' | 'timeout' };

export type CountdownEvent = { type: 'confirm' } | { type: 'rollback' } | { type: 'tick'; now: number };

/** Transitions; any event after the decision leaves the state unchanged (late button clicks). */
export function stepCountdown(state: CountdownState, event: CountdownEvent): CountdownState {
  if (state.phase !== 'pending') return state;
  switch (event.type) {
    case 'confirm':
      return { phase: 'confirmed' };
    case 'rollback':
      return { phase: 'rolled-back', by: 'user' };
    case 'tick':
      return event.now >= state.deadline ? { phase: 'rolled-back', by: 'timeout' } : state;
  }
}

/** Whole seconds left, rounded up (a countdown shows 1 until it reaches 0). */
export function secondsLeft(state: CountdownState, now: number): number {
  return state.phase === 'pending' ? Math.max(0, Math.ceil((state.deadline - now) / 1000)) : 0;
}

/** Time kept back for the new connection + confirm: 20 % of the window, between 3 s and 15 s. */
export function confirmMarginMs(rollbackSeconds: number): number {
  return Math.min(15_000, Math.max(3_000, rollbackSeconds * 200));
}

/** When the user's countdown must end, given when the router armed its timer. */
export function userDeadline(rollbackSeconds: number, armedAtMs: number): number {
  return armedAtMs + rollbackSeconds * 1000 - confirmMarginMs(rollbackSeconds);
}

export interface CountdownClock {
  now(): number;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export const systemClock: CountdownClock = {
  now: () => Date.now(),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
};

/**
 * Drives the state machine: ticks every `tickMs`, reports each change to `onChange`, and resolves
 * `decision` once (true = confirm, false = roll back). Usable as safe-apply's `beforeConfirm`.
 */
export class ConfirmCountdown {
  private current: CountdownState;
  private handle: unknown;
  private lastReported = -1;
  private settle!: (confirm: boolean) => void;
  readonly decision: Promise<boolean>;

  constructor(
    deadline: number,
    private readonly onChange: (state: CountdownState, secondsLeft: number) => void,
    private readonly clock: CountdownClock = systemClock,
    tickMs = 250,
  ) {
    this.current = { phase: 'pending', deadline };
    this.decision = new Promise<boolean>((resolve) => (this.settle = resolve));
    this.handle = clock.setInterval(() => this.dispatch({ type: 'tick', now: clock.now() }), tickMs);
    // A deadline already in the past decides at once (no time left to ask).
    this.dispatch({ type: 'tick', now: clock.now() });
  }

  get state(): CountdownState {
    return this.current;
  }

  secondsLeft(): number {
    return secondsLeft(this.current, this.clock.now());
  }

  confirm(): boolean {
    return this.dispatch({ type: 'confirm' });
  }

  rollback(): boolean {
    return this.dispatch({ type: 'rollback' });
  }

  /** Stops the timer without deciding anything more (the decision stays as it is). */
  dispose(): void {
    if (this.handle !== undefined) this.clock.clearInterval(this.handle);
    this.handle = undefined;
  }

  /** Returns true when the event changed the state. */
  private dispatch(event: CountdownEvent): boolean {
    const before = this.current;
    this.current = stepCountdown(before, event);
    if (this.current.phase !== 'pending') {
      this.dispose();
      if (before.phase === 'pending') {
        this.settle(this.current.phase === 'confirmed');
        this.onChange(this.current, 0);
        return true;
      }
      return false;
    }
    const nowLeft = this.secondsLeft();
    if (nowLeft !== this.lastReported) {
      this.lastReported = nowLeft;
      this.onChange(this.current, nowLeft);
    }
    return false;
  }
}
