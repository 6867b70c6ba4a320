/** The machine the numbers were measured on. */
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import type { MachineInfo } from './results.ts';

export function describeMachine(kafkaVersion: string): MachineInfo {
  const cpuList = cpus();
  return {
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${type()} ${release()}`,
    node: process.version,
    kafka: kafkaVersion,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
