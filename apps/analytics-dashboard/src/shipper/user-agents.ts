import Bowser from 'bowser';
import { isbot } from 'isbot';

export interface UserAgentInfo {
  /** the browser or client family ("Chrome", "Googlebot", "curl"), "Other" when unknown */
  readonly family: string;
  readonly isBot: boolean;
}

export interface UserAgentClassifier {
  classify(userAgent: string): UserAgentInfo;
}

const MAX_FAMILY_LENGTH = 64;

/**
 * Classifies user agents with bowser (family) and isbot (crawler, monitor or script). Logs repeat a
 * small set of agents, so results are cached; the cache is dropped whole when it reaches
 * `cacheSize` entries, which bounds memory without per-entry bookkeeping.
 */
export function createUserAgentClassifier(cacheSize = 10_000): UserAgentClassifier {
  if (!Number.isInteger(cacheSize) || cacheSize < 1) {
    throw new RangeError(`user-agent cache size must be a positive integer, got ${cacheSize}`);
  }
  let cache = new Map<string, UserAgentInfo>();
  return {
    classify(userAgent) {
      const hit = cache.get(userAgent);
      if (hit !== undefined) return hit;
      const info = classifyUncached(userAgent);
      if (cache.size >= cacheSize) cache = new Map();
      cache.set(userAgent, info);
      return info;
    },
  };
}

function classifyUncached(userAgent: string): UserAgentInfo {
  if (userAgent.trim() === '') return { family: 'Other', isBot: false };
  const bot = isbot(userAgent);
  const name = Bowser.parse(userAgent).browser.name ?? '';
  // bowser knows browsers and the big crawlers; for scripts the product token ("curl/8.5") names them
  const family = name !== '' ? name : (/^([A-Za-z][A-Za-z0-9._-]*)\//.exec(userAgent)?.[1] ?? 'Other');
  return { family: family.slice(0, MAX_FAMILY_LENGTH), isBot: bot };
}
