import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'

import { AuthError, KickError } from '../errors.js'
import { originForm, parseUrl } from '../input/url.js'

/**
 * The login callback: a listener on loopback only (127.0.0.1 and ::1) at the redirect URI's port, serving
 * only its path, that settles on the first valid callback and then closes. The same check serves a
 * redirected URL pasted on stdin (`--no-browser`).
 */
export class CallbackListener {
  /** the authorization code, or an AuthError for an `error=` callback (or a pasted URL with a wrong `state`) */
  readonly code: Promise<string>
  private settle!: { resolve: (code: string) => void; reject: (error: Error) => void }
  private settled = false
  private readonly servers: Server[] = []

  private constructor(
    private readonly path: string,
    private readonly state: string,
  ) {
    this.code = new Promise<string>((resolve, reject) => (this.settle = { resolve, reject }))
    // The caller may stop waiting (timeout) before anything arrives; an unobserved rejection is no crash.
    this.code.catch(() => undefined)
  }

  static async start(redirectUri: string, state: string): Promise<CallbackListener> {
    const url = new URL(redirectUri)
    const port = Number(url.port || 80)
    const listener = new CallbackListener(url.pathname || '/', state)
    await listener.listen('127.0.0.1', port, redirectUri, true)
    // Browsers resolve `localhost` to ::1 first on many systems; a machine without IPv6 just skips it.
    await listener.listen('::1', port, redirectUri, url.hostname === '[::1]')
    return listener
  }

  /** A redirected URL pasted by the user: settles like a callback. False when it is not one. */
  accept(pasted: string): boolean {
    const url = parseUrl(pasted.trim())
    if (!url) return false
    if (url.pathname !== this.path) return false
    const params = url.searchParams
    if (!params.get('code') && !params.get('error')) return false
    this.handle(params, true)
    return true
  }

  close(): void {
    for (const server of this.servers) {
      server.close()
      server.closeAllConnections()
    }
    this.servers.length = 0
  }

  private async listen(host: string, port: number, redirectUri: string, required: boolean): Promise<void> {
    const server = createServer((request, response) => this.serve(request, response))
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen({ host, port, ipv6Only: host === '::1', exclusive: true }, () => resolve())
      })
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'EADDRINUSE') {
        this.close()
        throw new KickError(
          `port ${port} of the redirect URI ${redirectUri} is in use on ${host} (another \`kick login\`?): ` +
            'stop what listens there, or register another loopback redirect URI in the Kick app and run ' +
            '`kick config set redirect-uri http://localhost:PORT/callback`',
        )
      }
      if (!required && ['EADDRNOTAVAIL', 'EAFNOSUPPORT', 'EINVAL'].includes(code ?? '')) return
      this.close()
      throw new KickError(
        `cannot listen on ${host}:${port} for the login callback: ${(error as Error).message}`,
      )
    }
    this.servers.push(server)
  }

  private serve(request: IncomingMessage, response: ServerResponse): void {
    // origin-form only (`GET http://host/callback` is for proxies); `//` is a path like any other
    const url = originForm(request.url)
    if (!url) {
      reply(response, 400, 'Bad request.')
      return
    }
    if (request.method !== 'GET' || url.pathname !== this.path) {
      reply(response, 404, 'Not found.')
      return
    }
    const params = url.searchParams
    if (!params.get('code') && !params.get('error')) {
      reply(response, 400, 'This is the kick login callback; it expects a code from Kick.')
      return
    }
    if (this.settled) {
      reply(response, 409, 'This login is already finished. You can close this tab.')
      return
    }
    const outcome = this.handle(params)
    reply(response, outcome.status, outcome.page, outcome.settled ? () => this.close() : undefined)
  }

  /**
   * A callback settles the login only when it carries this login's `state`, an `error=` one too: any web page
   * can send the browser to 127.0.0.1, and must not end (or finish) a login in progress. Others get a 400
   * page and the login keeps waiting; a URL the user pasted is theirs, and a wrong state there ends it.
   */
  private handle(
    params: URLSearchParams,
    pasted = false,
  ): { status: number; page: string; settled: boolean } {
    if (params.get('state') !== this.state) {
      if (pasted)
        this.finish(
          new AuthError(
            'the login callback carried the wrong state (a forged or stale login link); nothing was exchanged: ' +
              'run `kick login` again',
          ),
        )
      return {
        status: 400,
        page: 'The login state does not match: this link was not made by this login, which goes on waiting.',
        settled: pasted,
      }
    }
    const error = params.get('error')
    if (error) {
      const description = params.get('error_description')
      this.finish(
        new AuthError(
          `Kick did not log you in: ${error}${description ? ` (${description})` : ''}: run \`kick login\` to try again`,
        ),
      )
      return {
        status: 200,
        page: `Kick did not log you in (${error}). You can close this tab.`,
        settled: true,
      }
    }
    this.finish(params.get('code')!)
    return { status: 200, page: 'You are logged in to kick. You can close this tab.', settled: true }
  }

  private finish(outcome: string | Error): void {
    if (this.settled) return
    this.settled = true
    if (typeof outcome === 'string') this.settle.resolve(outcome)
    else this.settle.reject(outcome)
  }
}

function reply(response: ServerResponse, status: number, text: string, done?: () => void): void {
  const body = `<!doctype html><meta charset="utf-8"><title>kick login</title><p>${escapeHtml(text)}</p>\n`
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'close',
  })
  response.end(body, done)
}

/** The `error` of a callback is whatever the URL said: never markup on this page. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
}
