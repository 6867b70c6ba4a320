import { join } from 'node:path';
import type { BuildSpec, ComposeProject, ServiceSpec } from '../compose/types.ts';
import { DOCKERFILE } from '../image/build-image.ts';
import type { StandIn } from '../network/project-network.ts';
import { type MachineInfrastructure, standInFor } from '../stand-ins/stand-ins.ts';

export type Role =
  /** Built from this repository's Dockerfile: rehearsed as local processes. */
  | { readonly kind: 'ours'; readonly image: string }
  /** Played by this machine's service or by the rehearsal (see stand-ins/). */
  | { readonly kind: 'stand-in'; readonly standIn: StandIn }
  | { readonly kind: 'not rehearsed'; readonly reason: string };

export interface ImagePlan {
  readonly build: BuildSpec;
  /** The service whose `build:` makes the image, and every service that runs it. */
  readonly builder: string;
  readonly services: string[];
}

export interface RehearsalPlan {
  /** The selected services in start order. */
  readonly services: readonly ServiceSpec[];
  readonly roles: ReadonlyMap<string, Role>;
  readonly images: ReadonlyMap<string, ImagePlan>;
  /** What is wrong before anything starts (an image no selected service builds, …). */
  readonly problems: readonly string[];
}

/**
 * Decides, for each selected service, how the rehearsal plays it: ours (the image is built from
 * infra/docker/Dockerfile, by this service or — `image:` with `pull_policy: never` — by another
 * selected one), a stand-in, or not rehearsed with the reason; a service that needs a service that
 * is not rehearsed is not rehearsed either.
 */
export function planRehearsal(
  project: ComposeProject,
  services: readonly ServiceSpec[],
  repoRoot: string,
  infra: MachineInfrastructure,
): RehearsalPlan {
  const roles = new Map<string, Role>();
  const images = new Map<string, ImagePlan>();
  const problems: string[] = [];
  const ourDockerfile = join(repoRoot, DOCKERFILE);
  // compose names an image built without `image:` <project>-<service>
  const imageOf = (s: ServiceSpec) => s.image ?? `${project.name}-${s.name}`;

  for (const s of services) {
    if (s.build === undefined || s.build.dockerfile !== ourDockerfile) continue;
    const name = imageOf(s);
    const existing = images.get(name);
    if (existing !== undefined)
      problems.push(
        `${name} is built by both ${existing.builder} and ${s.name}: build it in one service, run it in the others`,
      );
    else images.set(name, { build: s.build, builder: s.name, services: [] });
  }

  for (const s of services) {
    const standIn = standInFor(s, infra);
    if (standIn !== undefined) {
      roles.set(s.name, { kind: 'stand-in', standIn });
      continue;
    }
    if (s.build !== undefined && s.build.dockerfile !== ourDockerfile) {
      roles.set(s.name, {
        kind: 'not rehearsed',
        reason: `built from ${s.build.dockerfile}, not ${DOCKERFILE}`,
      });
      continue;
    }
    const image = images.get(imageOf(s));
    if (image !== undefined) {
      image.services.push(s.name);
      roles.set(s.name, { kind: 'ours', image: imageOf(s) });
      continue;
    }
    if (s.image?.startsWith('streamkit/') === true) {
      problems.push(
        `${s.name} runs ${s.image} (pull_policy: ${s.pullPolicy ?? 'missing'}), which no selected service builds`,
      );
      roles.set(s.name, { kind: 'not rehearsed', reason: `no selected service builds ${s.image}` });
      continue;
    }
    roles.set(s.name, {
      kind: 'not rehearsed',
      reason: `image ${s.image ?? '(none)'} is not built from this repository`,
    });
  }

  for (const s of services) {
    if (roles.get(s.name)?.kind === 'not rehearsed') continue;
    const missing = Object.keys(s.dependsOn).filter((dep) => roles.get(dep)?.kind === 'not rehearsed');
    if (missing.length > 0 && roles.get(s.name)?.kind === 'ours')
      roles.set(s.name, { kind: 'not rehearsed', reason: `depends on ${missing.join(', ')}, not rehearsed` });
  }
  return { services, roles, images, problems };
}
