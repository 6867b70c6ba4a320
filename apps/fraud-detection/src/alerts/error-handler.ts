import type { FastifyError, FastifyInstance } from 'fastify';
import { InvalidCursorError, TooManySubscribersError } from './errors.ts';

export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

interface SchemaIssue {
  keyword?: string;
  schemaPath?: string;
  instancePath?: string;
  message?: string;
  params?: { requiredProperties?: string[]; additionalProperties?: string[] };
}

/** TypeBox validation issues → fields named the way packages/schemas names them ("a/b"), whatever the request part. */
export function fieldProblems(issues: readonly SchemaIssue[]): FieldProblem[] {
  const problems = issues.flatMap((issue): FieldProblem[] => {
    // TypeBox reports an unknown property twice: as `additionalProperties` and as "schema is false"
    if (issue.keyword === 'boolean' && issue.schemaPath?.endsWith('/additionalProperties')) return [];
    const path = (issue.instancePath ?? '').replace(/^\//, '');
    const join = (name: string) => (path === '' ? name : `${path}/${name}`);
    const message = issue.message ?? 'is invalid';
    if (issue.params?.requiredProperties) {
      return issue.params.requiredProperties.map((name) => ({ field: join(name), message: 'is required' }));
    }
    if (issue.params?.additionalProperties) {
      return issue.params.additionalProperties.map((name) => ({
        field: join(name),
        message: 'is not allowed',
      }));
    }
    return [{ field: path === '' ? '(root)' : path, message }];
  });
  // one entry per field and message (a schema can report the same problem through two keywords)
  return [...new Map(problems.map((p) => [`${p.field}\n${p.message}`, p])).values()];
}

/** One JSON error shape for the whole service: 400 names each failing field. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (error.validation) {
      return reply.code(400).send({ error: 'invalid request', fields: fieldProblems(error.validation) });
    }
    if (error instanceof InvalidCursorError) {
      return reply
        .code(400)
        .send({ error: 'invalid request', fields: [{ field: 'cursor', message: error.message }] });
    }
    if (error instanceof TooManySubscribersError) {
      return reply.code(503).header('retry-after', '5').send({ error: error.message });
    }
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send({ error: error.message });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send({ error: 'internal error' });
  });
}
