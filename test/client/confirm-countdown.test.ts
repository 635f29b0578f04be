// Pure state machine and its driver; the clock is a fake (a test cannot wait 60 real seconds),
// everything else is the real code.
import { describe, expect, it } from 'vitest';
import {
  ConfirmCountdown, confirmMarginMs, secondsLeft, stepCountdown, userDeadline, type CountdownClock, type CountdownState,
} from '../../client/src/remote/confirm-countdown';

function fakeClock(start = 1_000_000) {
  let now = start;
  const timers = new Map<number, () => void>();
  let next = 1;
  const clock: CountdownClock = {
    now: () => now,
    setInterval: (fn) => {
      timers.set(next, fn);
      return next++;
    },
    clearInterval: (h) => void timers.delete(h as number),
  };
  const advance = (ms: number, step = 250) => {
    for (let t = 0; t < ms; t += step) {
      now += step;
      for (const fn of [...timers.values()]) fn();
    }
  };
  return { clock, advance, active: () => timers.size };
}

describe('stepCountdown', () => {
  const pending: CountdownState = { phase: 'pending', deadline: 10_000 };
  it('confirm, roll back and timeout decide once', () => {
    expect(stepCountdown(pending, { type: 'confirm' })).toEqual({ phase: 'confirmed' });
    expect(stepCountdown(pending, { type: 'rollback' })).toEqual({ phase: 'rolled-back', by: 'user' });
    expect(stepCountdown(pending, { type: 'tick', now: 9_999 })).toBe(pending);
    expect(stepCountdown(pending, { type: 'tick', now: 10_000 })).toEqual({ phase: 'rolled-back', by: 'timeout' });
  });
  it('ignores late clicks after the decision', () => {
    const expired = stepCountdown(pending, { type: 'tick', now: 20_000 });
    expect(stepCountdown(expired, { type: 'confirm' })).toBe(expired);
    const confirmed = stepCountdown(pending, { type: 'confirm' });
    expect(stepCountdown(confirmed, { type: 'rollback' })).toBe(confirmed);
  });
  it('counts whole seconds up', () => {
    expect(secondsLeft(pending, 0)).toBe(10);
    expect(secondsLeft(pending, 9_001)).toBe(1);
    expect(secondsLeft(pending, 12_000)).toBe(0);
    expect(secondsLeft({ phase: 'confirmed' }, 0)).toBe(0);
  });
});

describe('userDeadline', () => {
  it('keeps 20 % of the window (3-15 s) for the confirm connection', () => {
    expect(confirmMarginMs(10)).toBe(3_000);
    expect(confirmMarginMs(60)).toBe(12_000);
    expect(confirmMarginMs(600)).toBe(15_000);
    expect(userDeadline(60, 5_000)).toBe(5_000 + 60_000 - 12_000);
    // Always before the router's own timer.
    for (const s of [10, 30, 90, 300]) expect(userDeadline(s, 0)).toBeLessThan(s * 1000);
  });
});

describe('ConfirmCountdown', () => {
  it('resolves true on confirm and stops ticking', async () => {
    const f = fakeClock();
    const seen: number[] = [];
    const c = new ConfirmCountdown(f.clock.now() + 5_000, (_s, left) => seen.push(left), f.clock);
    f.advance(2_000);
    expect(c.confirm()).toBe(true);
    expect(c.confirm()).toBe(false);
    expect(await c.decision).toBe(true);
    expect(f.active()).toBe(0);
    expect(seen).toEqual([5, 4, 3, 0]);
  });
  it('resolves false when the countdown runs out', async () => {
    const f = fakeClock();
    const states: string[] = [];
    const c = new ConfirmCountdown(f.clock.now() + 3_000, (s) => states.push(s.phase === 'rolled-back' ? `rolled-back:${s.by}` : s.phase), f.clock);
    f.advance(3_000);
    expect(await c.decision).toBe(false);
    expect(c.state).toEqual({ phase: 'rolled-back', by: 'timeout' });
    expect(states.at(-1)).toBe('rolled-back:timeout');
    expect(c.confirm()).toBe(false);
  });
  it('resolves false on "Roll back now"', async () => {
    const f = fakeClock();
    const c = new ConfirmCountdown(f.clock.now() + 30_000, () => undefined, f.clock);
    expect(c.rollback()).toBe(true);
    expect(await c.decision).toBe(false);
  });
  it('decides at once when no time is left', async () => {
    const f = fakeClock();
    const c = new ConfirmCountdown(f.clock.now() - 1, () => undefined, f.clock);
    expect(c.state.phase).toBe('rolled-back');
    expect(await c.decision).toBe(false);
    expect(f.active()).toBe(0);
  });
});
