import { InvalidPipelineError } from './errors.ts';
import { type DemoPipeline, type InfrastructureNeed, infrastructureNeeds } from './types.ts';

type UnknownRecord = Record<string, unknown>;

const isRecord = (v: unknown): v is UnknownRecord => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const namePattern = /^[a-z0-9][a-z0-9-]*$/;

function serviceProblems(service: unknown, at: string): string[] {
  if (!isRecord(service)) return [`${at} is not an object`];
  const problems: string[] = [];
  if (!isNonEmptyString(service.name) || !namePattern.test(service.name)) {
    problems.push(`${at}.name must be lowercase letters, digits and dashes`);
  }
  const command = service.command;
  if (!Array.isArray(command) || command.length === 0 || !command.every(isNonEmptyString)) {
    problems.push(`${at}.command must be a non-empty array of non-empty strings (argv)`);
  }
  if (!isNonEmptyString(service.cwd)) problems.push(`${at}.cwd must be a directory path`);
  if (service.env !== undefined && typeof service.env !== 'function') {
    problems.push(`${at}.env must be a function (infra) => Record<string, string>`);
  }
  if (service.url !== undefined && !isNonEmptyString(service.url))
    problems.push(`${at}.url must be a string`);
  const ready = service.ready;
  const readyOk =
    isRecord(ready) &&
    ((isNonEmptyString(ready.http) && URL.canParse(ready.http)) ||
      ready.logLine instanceof RegExp ||
      ready.completes === true);
  if (!readyOk)
    problems.push(`${at}.ready must be { http: <absolute URL> }, { logLine: RegExp } or { completes: true }`);
  const timeout = service.readyTimeoutMs;
  if (timeout !== undefined && !(typeof timeout === 'number' && Number.isInteger(timeout) && timeout > 0)) {
    problems.push(`${at}.readyTimeoutMs must be a positive integer`);
  }
  return problems;
}

/** Checks that `value` has the DemoPipeline shape; lists every problem at once. */
export function parsePipeline(value: unknown, source: string): DemoPipeline {
  if (!isRecord(value)) throw new InvalidPipelineError(source, ['the default export is not an object']);
  const problems: string[] = [];
  if (!isNonEmptyString(value.name) || !namePattern.test(value.name)) {
    problems.push('name must be lowercase letters, digits and dashes');
  }
  if (typeof value.description !== 'string') problems.push('description must be a string');
  const needs = value.needs;
  if (!Array.isArray(needs) || !needs.every((n) => infrastructureNeeds.includes(n as InfrastructureNeed))) {
    problems.push(`needs must be an array of: ${infrastructureNeeds.join(', ')}`);
  }
  if (value.prepare !== undefined && typeof value.prepare !== 'function') {
    problems.push('prepare must be a function (infra) => Promise<void>');
  }
  const notes = value.readyNotes;
  if (notes !== undefined && !(Array.isArray(notes) && notes.every((n) => typeof n === 'string'))) {
    problems.push('readyNotes must be an array of strings');
  }
  const services = value.services;
  if (!Array.isArray(services) || services.length === 0) {
    problems.push('services must be a non-empty array');
  } else {
    services.forEach((s, i) => {
      problems.push(...serviceProblems(s, `services[${i}]`));
    });
    const names = services.map((s) => (isRecord(s) ? s.name : undefined));
    const duplicates = names.filter((n, i) => n !== undefined && names.indexOf(n) !== i);
    if (duplicates.length > 0) problems.push(`service names repeat: ${[...new Set(duplicates)].join(', ')}`);
  }
  if (problems.length > 0) throw new InvalidPipelineError(source, problems);
  return value as unknown as DemoPipeline;
}
