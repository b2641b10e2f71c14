/**
 * Named errors of the domain and the edge. Each carries a stable `code` and the HTTP status it maps to;
 * the API's error middleware is the one place that turns them into problem+json.
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

export class UnauthorizedError extends AppError {
  constructor(message = 'a valid bearer token is required') {
    super(401, 'unauthorized', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'this role may not do that') {
    super(403, 'forbidden', message);
  }
}

export class ScopeViolationError extends AppError {
  constructor(message = 'outside the scope of this token') {
    super(403, 'out-of-scope', message);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super(404, 'not-found', `${what} not found`);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(409, code, message, details);
  }
}

export class NotImplementedError extends AppError {
  constructor(what: string) {
    super(501, 'not-implemented', `${what} is not implemented yet`);
  }
}
