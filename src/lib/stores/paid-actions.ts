import { HourlyBudgetStore, type Spent } from './hourly-budgets';
import type { Known } from './known-write';

/** Shards hold at least this many units each, so that a two-unit action (a Lookup and its code) fits a shard. */
const UNITS_PER_SHARD = 10;

/** One shard's spending this hour, as read ahead (side by side with a route's other reads). */
export interface PaidShardRead {
  hour: string;
  shard: number;
  /** `full`: this container already saw every shard spent this hour (nothing was read). */
  known: Known<Spent> | 'full';
}

/**
 * Shards seen spent by this warm container, per service and budget, for the current hour only:
 * once all of them are, a refusal reads and writes nothing. Nothing is given back within an hour,
 * so a shard seen spent stays spent (one where a two-unit action no longer fits counts as spent:
 * the ceiling errs towards spending less).
 */
const seenFull = new Map<string, { hour: string; shards: Set<number> }>();

function fullShards(memo: string, hour: string): Set<number> {
  const seen = seenFull.get(memo);
  if (seen?.hour === hour) return seen.shards;
  const shards = new Set<number>();
  seenFull.set(memo, { hour, shards });
  return shards;
}

/**
 * The one hourly budget of paid actions an outsider can trigger (PAID_ACTIONS_PER_HOUR), kept in
 * Sync so every Function instance spends from the same budget. Sync takes about 20 writes/s per
 * object, so the budget is split over up to `maps.length` single-item maps (each holding its share,
 * the shares adding up to the budget exactly); an action spends from one shard, trying the others
 * only when that one is spent. Refusals never write.
 */
export class PaidActionBudget {
  constructor(
    private readonly maps: ReadonlyArray<HourlyBudgetStore>,
    /** Tells containers' memories of one Sync service apart (tests run several). */
    private readonly service: string,
    private readonly random: () => number = Math.random,
  ) {}

  private shardCount(budget: number): number {
    return Math.max(1, Math.min(this.maps.length, Math.floor(budget / UNITS_PER_SHARD)));
  }

  /** Shard `shard`'s share of `budget`. */
  private shareOf(budget: number, shard: number): number {
    const shards = this.shardCount(budget);
    return Math.floor(budget / shards) + (shard < budget % shards ? 1 : 0);
  }

  private memo(budget: number, hour: string): Set<number> {
    return fullShards(`${this.service}:${budget}`, hour);
  }

  /** Reads one shard (chosen at random among those not seen spent); no Sync call when all were seen spent. */
  async read(budget: number, hour: string): Promise<PaidShardRead> {
    const full = this.memo(budget, hour);
    const open = Array.from({ length: this.shardCount(budget) }, (_, shard) => shard).filter((shard) => !full.has(shard));
    if (budget === 0 || open.length === 0) return { hour, shard: 0, known: 'full' };
    const shard = open[Math.floor(this.random() * open.length)];
    return { hour, shard, known: await this.maps[shard].read('paid', hour) };
  }

  /** Whether the shard read has `units` left: a spend through it is then one write. Pure. */
  hasRoomIn(budget: number, read: PaidShardRead, units: number): boolean {
    return read.known !== 'full' && HourlyBudgetStore.hasRoom(read.known, this.shareOf(budget, read.shard), units);
  }

  /**
   * Spends `units` from the shard read (one write when it has room), else from the other shards
   * in turn (a read each, a write where there is room). False when no shard has them: nothing
   * was written, and this container remembers the shards as spent.
   */
  async spend(budget: number, read: PaidShardRead, units: number): Promise<boolean> {
    if (read.known === 'full') return false;
    const full = this.memo(budget, read.hour);
    const shards = this.shardCount(budget);
    const order = Array.from({ length: shards }, (_, index) => (read.shard + index) % shards).filter((shard) => !full.has(shard));
    for (const shard of order) {
      const known = shard === read.shard ? read.known : 'unread';
      if (await this.maps[shard].spend('paid', read.hour, this.shareOf(budget, shard), known, units)) return true;
      full.add(shard);
    }
    return false;
  }
}
