import type { Redis } from 'ioredis';
import type { RecsRedisKeys } from '../common/redis-keys.ts';

/**
 * The users to rank, taken from dirtyUsers so that a crash loses none. A plain SPOP would drop a
 * user whose ranking a `kill -9` interrupts. Instead a claim moves the users, in one script, from
 * the dirtyUsers SET to the dirtyUsersClaimed ZSET scored by the claim's deadline; they leave it
 * only once their recommendations are written. Claims past their deadline (their recommender died)
 * go back to dirtyUsers, checked every round by every replica. A user changed again while being
 * ranked is in dirtyUsers again (the features worker adds it there), so it is ranked once more.
 */
export interface DirtyUserQueue {
  /** Up to `max` users, claimed until `deadline` (epoch ms). */
  claim(max: number): Promise<DirtyUserClaim>;
  /** Their recommendations are written: the claim ends (unless another replica took it over). */
  release(claim: DirtyUserClaim): Promise<void>;
  /** Ranking failed: the users are dirty again at once. */
  giveBack(claim: DirtyUserClaim): Promise<void>;
  /** Claims past their deadline go back to dirtyUsers; returns how many. */
  requeueExpired(): Promise<number>;
}

export interface DirtyUserClaim {
  readonly users: readonly string[];
  readonly deadline: number;
}

// KEYS: dirty, claimed · ARGV: count, deadline
const claimScript = `
local users = redis.call('SPOP', KEYS[1], ARGV[1])
for _, u in ipairs(users) do redis.call('ZADD', KEYS[2], ARGV[2], u) end
return users`;

// KEYS: claimed, dirty · ARGV: deadline, requeue (0|1), users… — only claims still ours
const releaseScript = `
local n = 0
for i = 3, #ARGV do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score and tonumber(score) == tonumber(ARGV[1]) then
    redis.call('ZREM', KEYS[1], ARGV[i])
    if ARGV[2] == '1' then redis.call('SADD', KEYS[2], ARGV[i]) end
    n = n + 1
  end
end
return n`;

// KEYS: claimed, dirty · ARGV: now, limit
const requeueScript = `
local users = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
for _, u in ipairs(users) do
  redis.call('SADD', KEYS[2], u)
  redis.call('ZREM', KEYS[1], u)
end
return #users`;

/** Expired claims moved back per round (a burst of them drains over a few rounds). */
const requeueLimit = 1000;

export function createDirtyUserQueue(
  redis: Redis,
  keys: RecsRedisKeys,
  settings: { readonly claimLeaseMs: number },
  now: () => number = Date.now,
): DirtyUserQueue {
  const dirty = keys.dirtyUsers();
  const claimed = keys.dirtyUsersClaimed();
  const end = async (claim: DirtyUserClaim, requeue: boolean) => {
    if (claim.users.length === 0) return;
    await redis.eval(releaseScript, 2, claimed, dirty, claim.deadline, requeue ? '1' : '0', ...claim.users);
  };
  return {
    async claim(max) {
      const deadline = now() + settings.claimLeaseMs;
      const users = (await redis.eval(claimScript, 2, dirty, claimed, max, deadline)) as string[];
      return { users, deadline };
    },
    release: (claim) => end(claim, false),
    giveBack: (claim) => end(claim, true),
    async requeueExpired() {
      return (await redis.eval(requeueScript, 2, claimed, dirty, now(), requeueLimit)) as number;
    },
  };
}
