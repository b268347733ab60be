/**
 * Exit codes as policy, in one place (SPEC §2). Everything that fails throws a KickError (or something the
 * base command maps to one); only the base command turns it into a process exit code.
 */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  auth: 4,
  interrupted: 130,
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

export class KickError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.failure,
    /** extra lines shown only with --verbose (e.g. the full response body) */
    readonly detail?: string,
  ) {
    super(message)
    this.name = 'KickError'
  }
}

/** Bad flags or input: exit 2. */
export class UsageError extends KickError {
  constructor(message: string) {
    super(message, ExitCode.usage)
    this.name = 'UsageError'
  }
}

/** No token, a rejected token, a missing scope, a failed refresh: exit 4. */
export class AuthError extends KickError {
  constructor(message: string, detail?: string) {
    super(message, ExitCode.auth, detail)
    this.name = 'AuthError'
  }
}

/** An HTTP answer Kick (or the OAuth server) gave that is not a success. */
export class ApiError extends KickError {
  constructor(
    message: string,
    readonly status: number,
    readonly body: string,
    exitCode: ExitCode = ExitCode.failure,
  ) {
    super(message, exitCode, body)
    this.name = 'ApiError'
  }
}

/**
 * A redirect from Kick or its OAuth server: an error no login fixes, so code that turns OAuth failures into
 * "run kick login" passes it on as it is (exit 1).
 */
export function isRedirect(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status >= 300 && error.status < 400
}
