/** One field-level problem, named by its path in the request ("percentage", "removalTicket.dueDate"). */
export interface ErrorDetail {
  path: string;
  message: string;
}

/** Services throw these; lib/http/api-route.ts is the one place that maps them to HTTP. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** Sent as Retry-After: the caller should try again, not give up. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(code: string, message: string, details: ErrorDetail[] = []) {
    super(400, code, message, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = "Sign in or send an API token.") {
    super(401, "unauthorized", message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string, code = "forbidden", details: ErrorDetail[] = []) {
    super(403, code, message, details);
  }
}

export class NotFoundError extends AppError {
  constructor(code: string, message: string, details: ErrorDetail[] = []) {
    super(404, code, message, details);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string, details: ErrorDetail[] = []) {
    super(409, code, message, details);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super(413, "body_too_large", `The request body is larger than ${limitBytes} bytes.`, [
      { path: "body", message: `at most ${limitBytes} bytes` },
    ]);
  }
}

/** A body in an encoding Rampart does not read (Content-Encoding other than gzip). */
export class UnsupportedMediaTypeError extends AppError {
  constructor(code: string, message: string, details: ErrorDetail[] = []) {
    super(415, code, message, details);
  }
}

/** Rampart cannot answer now (its database is down or it is shedding load); retry later. */
export class ServiceUnavailableError extends AppError {
  constructor(message = "Rampart cannot reach its database right now. Try again in a few seconds.", retryAfterSeconds = 5) {
    super(503, "unavailable", message, [], retryAfterSeconds);
  }
}

/** Rampart is behind and sheds this request; the client should come back after Retry-After. */
export class TooManyRequestsError extends AppError {
  constructor(message: string, retryAfterSeconds: number) {
    super(429, "overloaded", message, [], retryAfterSeconds);
  }
}
