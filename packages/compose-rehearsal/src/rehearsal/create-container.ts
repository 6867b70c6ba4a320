import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ComposeProject, ServiceSpec } from '../compose/types.ts';
import { Container, type ContainerMount, LAYERED_DIRS } from '../container/container.ts';
import type { Volumes } from '../container/volumes.ts';
import { type BuiltImage, NODE_UID } from '../image/build-image.ts';
import type { ProjectNetwork } from '../network/project-network.ts';

// The official Node.js image: its PATH, its ENTRYPOINT (docker-entrypoint.sh) and its `node` user.
const NODE_IMAGE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const USERS: Record<string, { uid: number; gid: number; home: string }> = {
  node: { uid: NODE_UID, gid: NODE_UID, home: '/home/node' },
  root: { uid: 0, gid: 0, home: '/root' },
};

export interface CreatedContainer {
  readonly container: Container;
  /** One line per volume: what Docker would have created. */
  readonly volumeNotes: readonly string[];
}

/**
 * The container compose would create for `service` from `image`: the image's ENV, then the
 * service's environment; the image's USER and WORKDIR unless the service sets user / working_dir;
 * the command through the Node.js image's entrypoint; named volumes at their targets.
 */
export function createContainer(options: {
  project: ComposeProject;
  service: ServiceSpec;
  image: BuiltImage;
  baseLayer: string;
  network: ProjectNetwork;
  volumes: Volumes;
  dir: string;
}): CreatedContainer {
  const { project, service, image, baseLayer, network, volumes } = options;
  const userName = service.user ?? image.config.user;
  const user = resolveUser(userName);
  const hostname = service.hostname ?? randomBytes(6).toString('hex');
  const mounts: ContainerMount[] = [];
  const volumeNotes: string[] = [];
  for (const v of service.volumes) {
    if (!LAYERED_DIRS.some((d) => v.target.startsWith(`${d}/`)))
      throw new Error(
        `${service.name}: cannot rehearse a volume at ${v.target} (only under ${LAYERED_DIRS.join(', ')})`,
      );
    if (v.type === 'bind') {
      mounts.push({ target: v.target, source: v.source as string, readOnly: v.readOnly });
      volumeNotes.push(`${v.source} → ${v.target} (bind mount)`);
      continue;
    }
    const key = v.source ?? `anonymous-${service.name}-${mounts.length}`;
    const name = project.volumes.get(key)?.name ?? `${project.name}_${key}`;
    const mounted = volumes.mount(name, v.target, [image.root, baseLayer]);
    mounts.push({ target: v.target, source: mounted.source, readOnly: v.readOnly });
    volumeNotes.push(`${name} → ${v.target}${v.readOnly ? ':ro' : ''}: ${mounted.note}`);
  }
  const env: Record<string, string> = {
    PATH: NODE_IMAGE_PATH,
    NODE_VERSION: process.versions.node,
    ...image.config.env,
    HOSTNAME: hostname,
    HOME: user.home,
    ...service.environment,
  };
  const container = new Container({
    name: service.name,
    dir: options.dir,
    imageRoot: image.root,
    baseLayer,
    netns: network.netns,
    hostsFile: network.hostsFile(service.name, hostname),
    hostname,
    mounts,
    env,
    argv: commandOf(service, image),
    workdir: service.workingDir ?? image.config.workdir,
    uid: user.uid,
    gid: user.gid,
  });
  return { container, volumeNotes };
}

/** entrypoint + command as Docker composes them; the Node.js image's docker-entrypoint.sh prefixes `node` to an option. */
function commandOf(service: ServiceSpec, image: BuiltImage): string[] {
  if (service.entrypoint !== undefined) return [...service.entrypoint, ...(service.command ?? [])];
  const command = [...(service.command ?? image.config.cmd ?? ['node'])];
  return command[0]?.startsWith('-') === true ? ['node', ...command] : command;
}

function resolveUser(name: string): { uid: number; gid: number; home: string } {
  const known = USERS[name];
  if (known !== undefined) return known;
  const numeric = /^(\d+)(?::(\d+))?$/.exec(name);
  if (numeric === null) throw new Error(`user ${name}: only node, root or uid[:gid] can be rehearsed`);
  const uid = Number(numeric[1]);
  return { uid, gid: numeric[2] === undefined ? uid : Number(numeric[2]), home: '/' };
}

export function containerDir(workDir: string, service: string): string {
  return join(workDir, 'containers', service);
}
