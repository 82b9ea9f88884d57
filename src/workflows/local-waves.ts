import type { StepSpec } from '../plan';

/** How many scheduler passes that start local steps may go by without a mirror write. */
const MIRROR_EVERY = 16;

/**
 * Runs local activities in waves, so a plan with local steps replays exactly as it ran.
 *
 * On a first run, local activities resolve one by one as they complete; on replay they all resolve at once, in the
 * order they were scheduled (a limitation of the SDK's core). A workflow that reacted to each resolution would
 * issue its next commands in a different order on replay and fail with a nondeterminism error. So: a wave starts
 * only when no local activity is in flight, and its calls hand back their outcomes only once every call of the wave
 * has resolved, one after another in the order they were started. Whatever the workflow does next is then the same
 * on a first run and on replay.
 *
 * The scheduler hands each pass's steps to `schedule`: a local step taken while a wave is in flight is held here and
 * starts with the next wave.
 */
export class LocalWaves {
  private inFlight = 0;
  /** Local steps taken while a wave was in flight; they start with the next wave. */
  private readonly held: StepSpec[] = [];
  /** Whether the scheduler's last pass started local steps, and how many such passes since the mirror last wrote. */
  private stepsStarting = false;
  private passesSinceWrite = 0;
  /** The wave in flight, if any. */
  private wave: Wave | null = null;

  /** Whether a new wave may start now. */
  get idle(): boolean {
    return this.inFlight === 0;
  }

  /** How many steps wait for the next wave (they count against the plan's parallelism). */
  get holding(): number {
    return this.held.length;
  }

  /** Whether held steps can start now: the scheduler wakes for it as for any change of state. */
  get heldMayStart(): boolean {
    return this.held.length > 0 && this.idle;
  }

  /**
   * One scheduler pass: with no wave in flight, the held steps start (a new wave); then each step `next` gives
   * starts, except a local one while a wave is in flight, which is held. Paces the mirror by what started.
   */
  schedule(next: () => StepSpec | null, isLocal: (spec: StepSpec) => boolean, launch: (spec: StepSpec) => void): void {
    const newWave = this.idle;
    let startedLocal = false;
    if (newWave) {
      startedLocal = this.held.length > 0;
      this.held.splice(0).forEach(launch);
    }
    for (let spec = next(); spec; spec = next()) {
      const local = isLocal(spec);
      if (local && !newWave) {
        this.held.push(spec);
      } else {
        launch(spec);
        startedLocal ||= local;
      }
    }
    this.paced(startedLocal);
  }

  /** The scheduler says after each pass whether it started local steps. */
  paced(startedLocalSteps: boolean): void {
    this.stepsStarting = startedLocalSteps;
    if (startedLocalSteps) this.passesSinceWrite++;
  }

  /**
   * Whether the mirror may write now. A mirror write is a local activity too, so it joins a wave, and a wave lasts
   * as long as its slowest call: while local steps keep starting, the mirror writes only every MIRROR_EVERY passes,
   * so a chain of fast local steps is not held to one PostgreSQL commit each. In a pause, it writes at once.
   */
  get mirrorMayWrite(): boolean {
    return !this.stepsStarting || this.passesSinceWrite >= MIRROR_EVERY;
  }

  mirrorWrote(): void {
    this.passesSinceWrite = 0;
  }

  /**
   * Runs `call` (one local activity) in the current wave; resolves or rejects in wave order. A call alone in its
   * wave hands back at once. Plain promises, not conditions: every promise in workflow code costs tens of µs (the
   * SDK records a stack trace for each), and a chain of local steps is one wave per step.
   */
  run<T>(call: () => Promise<T>): Promise<T> {
    const wave = (this.wave ??= new Wave());
    this.inFlight++;
    wave.size++;
    const previous = wave.lastTurn;
    const turn = call().then(
      (value) => this.handBack(wave, previous, () => value),
      (error: unknown) =>
        this.handBack(wave, previous, () => {
          throw error;
        }),
    );
    wave.lastTurn = turn;
    return turn;
  }

  private handBack<T>(wave: Wave, previous: Promise<unknown> | null, outcome: () => T): T | Promise<T> {
    this.inFlight--;
    if (this.inFlight === 0) {
      this.wave = null;
      wave.ended();
    }
    if (wave.size === 1) return outcome();
    return (async () => {
      await wave.end;
      // The caller of the call started before registered on `previous` first, so it acts before this one resumes.
      await previous?.catch(() => undefined);
      return outcome();
    })();
  }
}

/** The calls started together: they hand back once all are done, in the order they started. */
class Wave {
  size = 0;
  lastTurn: Promise<unknown> | null = null;
  ended: () => void = () => undefined;
  readonly end = new Promise<void>((resolve) => (this.ended = resolve));
}
