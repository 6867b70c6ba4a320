/** A compose project after loading: includes resolved, values interpolated, services normalized. */
export interface ComposeProject {
  /** `name:` of the first file (or its directory's name). */
  readonly name: string;
  /** The first compose file, then every included file, in load order (absolute paths). */
  readonly files: readonly string[];
  readonly services: ReadonlyMap<string, ServiceSpec>;
  /** Top-level named volumes (key → the volume's own `name:` when set). */
  readonly volumes: ReadonlyMap<string, { readonly name?: string }>;
  /** Variables read while unset, without a default (Compose prints a warning for each). */
  readonly unsetVariables: readonly string[];
}

export type DependencyCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

export interface Dependency {
  readonly condition: DependencyCondition;
  /** false: a dependency that the active profiles leave out is ignored instead of an error. */
  readonly required: boolean;
}

export type RestartPolicy =
  | { readonly kind: 'no' | 'always' | 'unless-stopped' }
  | { readonly kind: 'on-failure'; readonly maxRetries?: number };

export interface Healthcheck {
  /** ['CMD', argv…] (exec), ['CMD-SHELL', command] (/bin/sh -c), or ['NONE'] (disabled). */
  readonly test: readonly string[];
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly startPeriodMs: number;
  readonly startIntervalMs: number;
}

export interface VolumeMount {
  readonly type: 'volume' | 'bind';
  /** Named volume key, or an absolute host path for a bind mount; undefined: anonymous volume. */
  readonly source?: string;
  /** Path inside the container. */
  readonly target: string;
  readonly readOnly: boolean;
}

export interface PortMapping {
  readonly hostIp?: string;
  readonly published?: string;
  readonly target: number;
  readonly protocol: string;
}

export interface BuildSpec {
  /** Absolute path of the build context. */
  readonly context: string;
  /** Absolute path of the Dockerfile. */
  readonly dockerfile: string;
  readonly args: Readonly<Record<string, string>>;
}

export interface ServiceSpec {
  readonly name: string;
  /** The compose file that defines the service (absolute path). */
  readonly file: string;
  readonly image?: string;
  readonly build?: BuildSpec;
  readonly pullPolicy?: string;
  readonly command?: readonly string[];
  readonly entrypoint?: readonly string[];
  /** `env_file` entries, then `environment` over them, after interpolation. */
  readonly environment: Readonly<Record<string, string>>;
  readonly profiles: readonly string[];
  readonly dependsOn: Readonly<Record<string, Dependency>>;
  /** Undefined: the image's healthcheck (ours define none) — no health status. */
  readonly healthcheck?: Healthcheck;
  readonly restart: RestartPolicy;
  readonly volumes: readonly VolumeMount[];
  readonly ports: readonly PortMapping[];
  readonly user?: string;
  readonly workingDir?: string;
  readonly hostname?: string;
  readonly stopGracePeriodMs: number;
}
