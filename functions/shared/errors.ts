/**
 * Named errors of the domain and the edge. Each carries a stable `code` (English, for programs) and the
 * HTTP status it maps to; the message is what a person reads, so it is in Chinese. The API's error
 * middleware is the one place that turns them into problem+json.
 */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details?: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super(400, 'validation-failed', message, details);
  }
}

export class InvalidUsccError extends AppError {
  constructor(message: string, details?: unknown) {
    super(400, 'invalid-uscc', message, details);
  }
}

/** A `cursor` this API did not issue, or issued for another query or another caller's scope. */
export class InvalidCursorError extends AppError {
  constructor(message = '分页游标无效，或不属于本次查询；请去掉 cursor 参数从第一页重新查询') {
    super(400, 'invalid-cursor', message);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = '需要有效的访问令牌（Bearer）') {
    super(401, 'unauthorized', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = '当前角色无权执行此操作') {
    super(403, 'forbidden', message);
  }
}

export class ScopeViolationError extends AppError {
  constructor(message = '超出当前令牌的数据范围') {
    super(403, 'out-of-scope', message);
  }
}

export class NotFoundError extends AppError {
  /** `what` names the thing in Chinese, with its id: `主体 9144…`. */
  constructor(what: string) {
    super(404, 'not-found', `${what} 不存在`);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(409, code, message, details);
  }
}

export class NotImplementedError extends AppError {
  /** `what` names the feature or route. */
  constructor(what: string) {
    super(501, 'not-implemented', `${what} 尚未实现`);
  }
}
