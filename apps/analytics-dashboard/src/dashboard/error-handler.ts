import type { FastifyError, FastifyInstance } from 'fastify';

interface SchemaIssue {
  instancePath?: string;
  message?: string;
  params?: { requiredProperties?: string[]; additionalProperties?: string[] };
}

/** Validation issues → `{field, message}` with fields named like packages/schemas does ("a/b"). */
export function fieldProblems(issues: readonly SchemaIssue[]): { field: string; message: string }[] {
  return issues.flatMap((issue) => {
    const path = (issue.instancePath ?? '').replace(/^\//, '');
    if (issue.params?.additionalProperties)
      return issue.params.additionalProperties.map((name) => ({
        field: path === '' ? name : `${path}/${name}`,
        message: 'is not allowed',
      }));
    return [{ field: path === '' ? '(root)' : path, message: issue.message ?? 'is invalid' }];
  });
}

/** One JSON error shape: 400 names each failing field; other client errors keep their status. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (error.validation)
      return reply.code(400).send({ error: 'invalid request', fields: fieldProblems(error.validation) });
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500)
      return reply.code(error.statusCode).send({ error: error.message });
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send({ error: 'internal error' });
  });
}
