import { MinHeap } from './min-heap';

/** Something that can wait for one deadline at a time. */
export interface Schedulable {
  /** Bumped on every schedule or cancel, so older heap slots go stale. */
  timerToken: number;
  /** When its current deadline falls, or undefined when none is set. */
  timerAt: number | undefined;
}

interface Slot<T> {
  at: number;
  token: number;
  item: T;
}

/**
 * Fires `onDeadline(item)` when an item's deadline passes, with one Node
 * timer for all items. Rescheduling is O(log n): the old slot is left in the
 * heap and skipped when it surfaces, and the heap is rebuilt once stale
 * slots outnumber live ones.
 */
export class DeadlineScheduler<T extends Schedulable> {
  private readonly heap = new MinHeap<Slot<T>>((a, b) => a.at < b.at);
  private live = 0;
  private timer: NodeJS.Timeout | undefined;
  private armedAt = Infinity;

  constructor(
    private readonly onDeadline: (item: T) => void,
    private readonly now: () => number = Date.now,
  ) {}

  schedule(item: T, at: number): void {
    if (item.timerAt === undefined) this.live++;
    item.timerAt = at;
    this.heap.push({ at, token: ++item.timerToken, item });
    if (this.heap.size > 1024 && this.heap.size > this.live * 4) {
      this.heap.retain((slot) => slot.token === slot.item.timerToken);
    }
    if (at < this.armedAt) this.arm(at);
  }

  cancel(item: T): void {
    if (item.timerAt === undefined) return;
    this.live--;
    item.timerAt = undefined;
    item.timerToken++;
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAt = Infinity;
  }

  private arm(at: number): void {
    clearTimeout(this.timer);
    this.armedAt = at;
    this.timer = setTimeout(() => this.fire(), Math.max(0, at - this.now()));
    this.timer.unref();
  }

  private fire(): void {
    this.timer = undefined;
    this.armedAt = Infinity;
    const now = this.now();
    for (let slot = this.heap.peek(); slot && slot.at <= now; slot = this.heap.peek()) {
      this.heap.pop();
      if (slot.token !== slot.item.timerToken) continue;
      this.cancel(slot.item);
      this.onDeadline(slot.item);
    }
    const next = this.heap.peek();
    if (next && next.at < this.armedAt) this.arm(next.at);
  }
}
