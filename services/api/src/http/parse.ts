/** zod at the HTTP edge: anything that does not parse is INVALID_ARGUMENT naming the field. */
import { z } from 'zod';
import { AppError } from '@talk/shared/errors';
import { Id } from '@talk/shared/schemas';

function invalid(where: string, error: z.ZodError): AppError {
  const fields = error.issues.map((issue) => ({
    field: [where, ...issue.path.map(String)].filter((part) => part !== '').join('.') || where,
    problem: issue.message,
  }));
  const summary = fields.map((f) => `${f.field}: ${f.problem}`).join('; ');
  return new AppError('INVALID_ARGUMENT', `invalid ${where}: ${summary}`, { fields });
}

export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw invalid('body', result.error);
  return result.data;
}

export function parseQuery<T>(schema: z.ZodType<T>, query: unknown): T {
  const result = schema.safeParse(query);
  if (!result.success) throw invalid('query', result.error);
  return result.data;
}

export function parseId(value: string | string[] | undefined, name: string): string {
  const result = Id.safeParse(value);
  if (!result.success) {
    throw new AppError('INVALID_ARGUMENT', `${name} must be a UUID`, { fields: [{ field: name, problem: 'must be a UUID' }] });
  }
  return result.data;
}

export function parseParam<T>(schema: z.ZodType<T>, value: string | string[] | undefined, name: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const problem = result.error.issues[0]?.message ?? 'is invalid';
    throw new AppError('INVALID_ARGUMENT', `${name} ${problem}`, { fields: [{ field: name, problem }] });
  }
  return result.data;
}
