import { createInterface } from 'node:readline'

import { ApiError, AuthError, isRedirect, KickError } from '../errors.js'
import { openBrowser } from './browser.js'
import { CallbackListener } from './loopback.js'
import { oauthErrorCode } from './oauth.js'
import { authorizeUrl, newPkceLogin } from './pkce.js'
import type { Session } from './session.js'
import { userTokensFromGrant } from './tokens.js'

export interface LoginOptions {
  clientId: string
  clientSecret: string
  scopes: readonly string[]
  timeoutMs: number
  /** false with `--no-browser`: print the URL and also read the redirected URL from stdin */
  openBrowser: boolean
  /** progress and warnings, on stderr */
  note: (message: string) => void
  warn: (message: string) => void
  /** a line about the wait for the browser; only in a terminal */
  progress?: (message: string) => void
}

export interface LoginResult {
  profile: string
  user_id: number | null
  name: string | null
  scopes: string[]
  expires_at: string
  storage: string
}

/**
 * The loopback PKCE login of SPEC §4: listen, send the user to Kick, take the first valid callback, exchange
 * the code, store the pair under the profile, and say who logged in.
 */
export async function loginWithBrowser(session: Session, options: LoginOptions): Promise<LoginResult> {
  const { settings } = session
  // read while the callback listener starts: the keychain answers in its own process
  const replacing = replacedLogin(session)
  const pkce = newPkceLogin()
  // Listening first: a port in use fails before the user is sent anywhere.
  const listener = await CallbackListener.start(settings.redirectUri, pkce.state).catch(async (error) => {
    await replacing
    throw error
  })
  const replaced = await replacing
  if (replaced) options.note(`Profile ${session.profile} has a login ${replaced}: logging in replaces it`)
  let stopReading: (() => void) | undefined
  let timer: NodeJS.Timeout | undefined
  let code: string
  try {
    const url = authorizeUrl({
      authUrl: settings.authUrl,
      clientId: options.clientId,
      redirectUri: settings.redirectUri,
      scopes: options.scopes,
      pkce,
    })
    options.note(`Open this URL in a browser to log in to Kick${profileNote(session.profile)}:\n\n  ${url}\n`)
    const pasteBack = (): void => {
      if (stopReading) return
      options.note(
        `Waiting for the callback on ${settings.redirectUri}, or paste the URL the browser was sent to:`,
      )
      stopReading = readPastedUrls(listener, options.warn)
    }
    const noBrowser = options.openBrowser ? whyNoBrowser() : 'asked with --no-browser'
    if (noBrowser === undefined) {
      await openBrowser(url, (why) => {
        // the opener gave up: the user can still log in on any device and paste the address back
        options.warn(`${why}: open the URL above yourself`)
        pasteBack()
      })
      if (!stopReading)
        options.progress?.(
          `waiting for the browser to come back to ${settings.redirectUri} ` +
            `(up to ${formatWait(options.timeoutMs)}; Ctrl-C to stop)…`,
        )
    } else {
      if (options.openBrowser)
        options.warn(`no browser to open here (${noBrowser}): open the URL above yourself`)
      pasteBack()
    }
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new AuthError(
              `no login callback within ${Math.round(options.timeoutMs / 1000)} s: run \`kick login\` again ` +
                '(--timeout to wait longer)',
            ),
          ),
        options.timeoutMs,
      )
    })
    code = await Promise.race([listener.code, timeout])
  } finally {
    clearTimeout(timer)
    stopReading?.()
    listener.close()
  }

  const oauth = await session.oauth()
  let tokens
  try {
    const grant = await oauth.exchangeCode({
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      code,
      redirectUri: settings.redirectUri,
      verifier: pkce.verifier,
    })
    tokens = userTokensFromGrant(grant, { scopes: [...options.scopes], client_id: options.clientId })
  } catch (error) {
    if (isRedirect(error)) throw error
    // invalid_grant: the code itself was refused (expired, used, another redirect URI), not the app's secret
    if (error instanceof ApiError && oauthErrorCode(error.body) === 'invalid_grant')
      throw new AuthError(
        'Kick did not accept the login code (invalid_grant: it expired, was already used, or was issued for ' +
          "another redirect URI than the app's): run `kick login` again",
        error.body,
      )
    throw new AuthError(
      `Kick did not exchange the login code for tokens (${(error as Error).message}): check the client secret ` +
        '(`kick config set client-secret`) and run `kick login` again',
      (error as KickError).detail,
    )
  }
  let user: { user_id: number; name: string } | undefined
  try {
    user = await oauth.whoami({ value: tokens.access_token, kind: 'user', source: 'keychain' })
  } catch (error) {
    options.warn(`logged in, but could not read who you are (${(error as Error).message})`)
  }
  const stored = await session.saveLogin(user ? { ...tokens, user } : tokens)

  return {
    profile: session.profile,
    user_id: user?.user_id ?? null,
    name: user?.name ?? null,
    scopes: tokens.scopes,
    expires_at: new Date(tokens.expires_at).toISOString(),
    storage: stored.storage === 'file' ? `file ${stored.file}` : 'keychain',
  }
}

/**
 * Why no browser can be opened on this machine, before trying: on Linux and the BSDs without `$BROWSER`,
 * a desktop session (DISPLAY, WAYLAND_DISPLAY) is what xdg-open needs; over SSH or in a container there is
 * none. Undefined when one may open (macOS, Windows, WSL and desktops are tried; a failure comes later).
 */
function whyNoBrowser(): string | undefined {
  if (process.env.BROWSER?.trim()) return undefined
  if (process.platform === 'darwin' || process.platform === 'win32') return undefined
  if (process.env.WSL_DISTRO_NAME || process.env.DISPLAY || process.env.WAYLAND_DISPLAY) return undefined
  return 'no BROWSER and no DISPLAY'
}

/** Whose login a new one replaces: the name stored with it, else Kick's answer for its token, else unknown. */
async function replacedLogin(session: Session): Promise<string | undefined> {
  const previous = await session.login().catch(() => undefined)
  if (!previous) return undefined
  let user = previous.tokens.user
  if (!user && previous.tokens.expires_at > Date.now()) {
    const oauth = await session.oauth()
    user = await oauth
      .whoami({ value: previous.tokens.access_token, kind: 'user', source: previous.storage })
      .catch(() => undefined)
  }
  return user ? `of ${user.name} (user id ${user.user_id})` : 'of an unknown user'
}

/** `--no-browser`: each line on stdin may be the redirected URL copied from the browser's address bar. */
function readPastedUrls(listener: CallbackListener, warn: (message: string) => void): () => void {
  const lines = createInterface({ input: process.stdin, terminal: false })
  lines.on('line', (line) => {
    if (!line.trim()) return
    if (!listener.accept(line))
      warn('that is not the URL Kick redirected to (it has ?code=…&state=…): try again')
  })
  return () => {
    lines.close()
    process.stdin.destroy()
  }
}

/** `5 min`, `90 s` */
function formatWait(ms: number): string {
  const seconds = Math.round(ms / 1000)
  return seconds >= 60 && seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`
}

function profileNote(profile: string): string {
  return profile === 'default' ? '' : ` (profile ${profile})`
}
