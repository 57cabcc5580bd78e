/**
 * Typed errors: every failed call throws a `ToolwireError` (a subclass by family) carrying the
 * server's stable `code`, its `message`, the HTTP `status`, and, when the server sent them,
 * `retryAfterS`, `reconnectUrl` and `details` (e.g. every invalid input field).
 */
import type { components } from "./generated/schema.js";

/** The error body every failure answers with. */
export type ErrorBody = components["schemas"]["ErrorBody"];

/** The stable codes the server answers with (`code` stays a string: newer codes still arrive). */
export const ErrorCode = {
  INVALID_INPUT: "INVALID_INPUT",
  INVALID_CONFIG: "INVALID_CONFIG",
  INVALID_CREDENTIALS: "INVALID_CREDENTIALS",
  INVALID_JSON: "INVALID_JSON",
  INVALID_REQUEST: "INVALID_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  AUTH_THROTTLED: "AUTH_THROTTLED",
  UNKNOWN_TOOL: "UNKNOWN_TOOL",
  UNKNOWN_CONNECTION: "UNKNOWN_CONNECTION",
  ACCOUNT_NOT_FOUND: "ACCOUNT_NOT_FOUND",
  NOT_FOUND: "NOT_FOUND",
  ACCOUNT_REVOKED: "ACCOUNT_REVOKED",
  ACCOUNT_EXPIRED: "ACCOUNT_EXPIRED",
  ACCOUNT_RESTRICTED: "ACCOUNT_RESTRICTED",
  ACCOUNT_DISCONNECTED: "ACCOUNT_DISCONNECTED",
  ACCOUNT_PENDING_AUTH: "ACCOUNT_PENDING_AUTH",
  SCOPE_NOT_GRANTED: "SCOPE_NOT_GRANTED",
  RATE_LIMITED: "RATE_LIMITED",
  QUOTA_EXCEEDED: "QUOTA_EXCEEDED",
  FORBIDDEN: "FORBIDDEN",
  CONFLICT: "CONFLICT",
  UPSTREAM_VALIDATION: "UPSTREAM_VALIDATION",
  UPSTREAM_BAD_REQUEST: "UPSTREAM_BAD_REQUEST",
  UPSTREAM_UNAVAILABLE: "UPSTREAM_UNAVAILABLE",
  UPSTREAM_ERROR: "UPSTREAM_ERROR",
  UPSTREAM_AUTH_FAILED: "UPSTREAM_AUTH_FAILED",
  OUTCOME_UNKNOWN: "OUTCOME_UNKNOWN",
  TIMEOUT: "TIMEOUT",
  INTERNAL: "INTERNAL",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** A failed toolwire call: the server's `{"error": {...}}` body, typed. */
export class ToolwireError extends Error {
  readonly code: string;
  readonly status: number;
  readonly retryAfterS: number | undefined;
  readonly reconnectUrl: string | undefined;
  readonly details: unknown;

  constructor(
    code: string,
    message: string,
    status: number,
    extra: { retryAfterS?: number; reconnectUrl?: string; details?: unknown } = {},
  ) {
    super(`${code}: ${message}`);
    this.name = new.target.name;
    this.code = code;
    this.message = message;
    this.status = status;
    this.retryAfterS = extra.retryAfterS;
    this.reconnectUrl = extra.reconnectUrl;
    this.details = extra.details;
  }
}

/** Refused before anything was sent upstream (bad input, config, body). */
export class InvalidInputError extends ToolwireError {}
/** Missing or wrong API key (`UNAUTHORIZED`), or too many wrong keys (`AUTH_THROTTLED`). */
export class UnauthorizedError extends ToolwireError {}
/** No such tool, connection or account, or the vendor has no such object. */
export class NotFoundError extends ToolwireError {}
/** The account cannot be used (REVOKED, EXPIRED, ...): `reconnectUrl` is where the user fixes it. */
export class AccountNotActiveError extends ToolwireError {}
/** Wait `retryAfterS` seconds before calling again. */
export class RateLimitedError extends ToolwireError {}
/** The vendor's quota for this account (e.g. a daily API allowance) is spent: do not retry soon. */
export class QuotaExceededError extends ToolwireError {}
/** A write without an idempotency key lost its answer: it may have been applied. */
export class OutcomeUnknownError extends ToolwireError {}
/** The vendor refused or failed the request, or could not be reached. */
export class UpstreamError extends ToolwireError {}

type ErrorClass = new (...args: ConstructorParameters<typeof ToolwireError>) => ToolwireError;

/** The subclass for a code (its family by name, else by HTTP status). */
export function errorClass(code: string, status: number): ErrorClass {
  if (code === "UNAUTHORIZED" || code === "AUTH_THROTTLED") return UnauthorizedError;
  if (code === "RATE_LIMITED") return RateLimitedError;
  if (code === "QUOTA_EXCEEDED") return QuotaExceededError;
  if (code === "OUTCOME_UNKNOWN") return OutcomeUnknownError;
  if (code === "SCOPE_NOT_GRANTED") return AccountNotActiveError;
  if (code.startsWith("ACCOUNT_") && code !== "ACCOUNT_NOT_FOUND") return AccountNotActiveError;
  if (code.startsWith("INVALID_") || code === "BODY_TOO_LARGE" || code === "UNSUPPORTED_MEDIA_TYPE")
    return InvalidInputError;
  if (code.startsWith("UNKNOWN_") || code.endsWith("NOT_FOUND")) return NotFoundError;
  if (code.startsWith("UPSTREAM_") || ["FORBIDDEN", "CONFLICT", "TIMEOUT"].includes(code))
    return UpstreamError;
  return status >= 500 ? UpstreamError : ToolwireError;
}

/** The typed error for a non-2xx answer (`body` is the parsed JSON, if any). */
export function fromResponse(status: number, body: unknown): ToolwireError {
  const err = (body as Partial<ErrorBody> | undefined)?.error;
  if (!err || typeof err.code !== "string") {
    return new ToolwireError("INTERNAL", `unexpected HTTP ${status} without an error body`, status);
  }
  const Cls = errorClass(err.code, status);
  return new Cls(err.code, String(err.message ?? ""), status, {
    retryAfterS: err.retry_after_s ?? undefined,
    reconnectUrl: err.reconnect_url ?? undefined,
    details: err.details ?? undefined,
  });
}
