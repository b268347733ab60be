import { createInterface } from 'node:readline'

import { AuthError, KickError } from '../errors.js'
import { openBrowser } from './browser.js'
import { CallbackListener } from './loopback.js'
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
  const pkce = newPkceLogin()
  // Listening first: a port in use fails before the user is sent anywhere.
  const listener = await CallbackListener.start(settings.redirectUri, pkce.state)
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
    // one note per line: a note is one line, its control characters (a newline too) shown escaped
    for (const line of [
      `Open this URL in a browser to log in to Kick${profileNote(session.profile)}:`,
      '',
      `  ${url}`,
      '',
    ])
      options.note(line)
    if (options.openBrowser) await openBrowser(url, options.warn)
    else {
      options.note(
        `Waiting for the callback on ${settings.redirectUri}, or paste the URL the browser was sent to:`,
      )
      stopReading = readPastedUrls(listener, options.warn)
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
    throw new AuthError(
      `Kick did not exchange the login code for tokens (${(error as Error).message}): check the client secret ` +
        '(`kick config set client-secret`) and run `kick login` again',
      (error as KickError).detail,
    )
  }
  const stored = await session.saveLogin(tokens)

  let user: { user_id: number; name: string } | undefined
  try {
    user = await oauth.whoami({ value: tokens.access_token, kind: 'user', source: stored.storage })
  } catch (error) {
    options.warn(`logged in, but could not read who you are (${(error as Error).message})`)
  }
  return {
    profile: session.profile,
    user_id: user?.user_id ?? null,
    name: user?.name ?? null,
    scopes: tokens.scopes,
    expires_at: new Date(tokens.expires_at).toISOString(),
    storage: stored.storage === 'file' ? `file ${stored.file}` : 'keychain',
  }
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

function profileNote(profile: string): string {
  return profile === 'default' ? '' : ` (profile ${profile})`
}
