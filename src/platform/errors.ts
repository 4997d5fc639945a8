/**
 * Errors a user can act on. Every message is Chinese first with its English beside it, and names
 * the field it concerns where there is one.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messageZh: string,
    readonly messageEn: string,
    readonly field?: string,
    readonly details?: unknown,
  ) {
    super(`${messageZh} / ${messageEn}`);
    this.name = 'AppError';
  }

  toJSON() {
    return {
      error: {
        code: this.code,
        message: this.messageZh,
        messageEn: this.messageEn,
        ...(this.field ? { field: this.field } : {}),
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

export const notFound = (what: string, whatEn: string) =>
  new AppError(404, 'not_found', `${what}不存在`, `${whatEn} not found`);

export const invalid = (field: string, zh: string, en: string, details?: unknown) =>
  new AppError(400, 'invalid', zh, en, field, details);

export const conflict = (zh: string, en: string, field?: string) =>
  new AppError(409, 'conflict', zh, en, field);

/** Domain rules carry one "中文 / English" message; the API sends the two halves apart. */
export function fieldError(problems: { field: string; message: string }[]): AppError {
  const first = problems[0]!;
  const [zh, en] = first.message.split(' / ');
  return new AppError(400, 'invalid', zh!, en ?? zh!, first.field, problems);
}
