import type { ViewsEngine } from '../common/env.ts';
import { ViewsSettingsError } from './errors.ts';

/** Where the views live: which engine, and the SQL URL to reach it. */
export interface ViewsEngineTarget {
  readonly engine: ViewsEngine;
  /** A PostgreSQL-protocol URL: all three engines speak the Postgres wire protocol. */
  readonly url: string;
}

/**
 * Picks the URL of the configured engine: DATABASE_URL for postgres, RISINGWAVE_URL or
 * MATERIALIZE_URL for the streaming databases (required when that engine is chosen).
 */
export function selectViewsEngine(config: {
  viewsEngine: ViewsEngine;
  databaseUrl: string;
  risingwaveUrl: string | undefined;
  materializeUrl: string | undefined;
}): ViewsEngineTarget {
  switch (config.viewsEngine) {
    case 'postgres':
      return { engine: 'postgres', url: config.databaseUrl };
    case 'risingwave':
      if (config.risingwaveUrl === undefined)
        throw new ViewsSettingsError('views engine', ['VIEWS_ENGINE=risingwave needs RISINGWAVE_URL']);
      return { engine: 'risingwave', url: config.risingwaveUrl };
    case 'materialize':
      if (config.materializeUrl === undefined)
        throw new ViewsSettingsError('views engine', ['VIEWS_ENGINE=materialize needs MATERIALIZE_URL']);
      return { engine: 'materialize', url: config.materializeUrl };
  }
}
