import { existsSync } from 'node:fs'

import { spawnChild, withoutSecretsInEnv } from '../config/child-env.js'

/**
 * Opens the login URL: `$BROWSER` when set (see browserCommand), else the system browser through `open`,
 * either way without kick's secrets in its environment (see childEnv). A
 * browser that cannot start, or whose opener exits with an error, is told to `failed` (once): the URL is on
 * stderr for the user to open elsewhere and paste back.
 */
export async function openBrowser(url: string, failed: (why: string) => void): Promise<void> {
  let told = false
  const fail = (why: string): void => {
    if (told) return
    told = true
    failed(why)
  }
  const command = process.env.BROWSER?.trim()
  if (command) {
    runBrowserCommand(command, url, fail)
    return
  }
  try {
    const { default: open } = await import('open')
    const child = await withoutSecretsInEnv(() => open(url))
    child.on('error', (error) => fail(`could not open a browser (${error.message})`))
    // xdg-open exits 3 when it finds no way to open a URL, 4 when the browser failed
    child.on('exit', (code) => {
      if (code) fail(`could not open a browser (the opener exited with code ${code})`)
    })
    child.unref()
  } catch (error) {
    fail(`could not open a browser (${(error as Error).message})`)
  }
}

/** How to spawn `$BROWSER` for a URL. */
export interface BrowserSpawn {
  file: string
  args: string[]
  /** Windows: hand cmd.exe its command line as is (Node would quote it again) */
  windowsVerbatimArguments?: boolean
}

/**
 * `$BROWSER` is a command line, as for xdg-open and Python's webbrowser: `%s` in it stands for the URL (quoted
 * or not: `firefox --new-window %s`, `"%s"`), and without one the URL is appended as the last argument, as gh
 * does. The command line is the user's, read by the platform's shell (quotes, paths with spaces), except that a
 * whole value naming a file is that program, spaces and all, as for Python; the URL, full of `&`, is never read
 * by a shell. On POSIX it travels as a positional parameter of `sh -c`; on Windows it goes through cmd.exe,
 * which is also what runs a `.cmd` or `.bat` opener (CreateProcess runs neither), with each of cmd's special
 * characters escaped as cross-spawn does.
 */
export function browserCommand(
  command: string,
  url: string,
  platform: NodeJS.Platform = process.platform,
  comSpec = process.env.ComSpec,
): BrowserSpawn {
  if (platform === 'win32') {
    const program = existsSync(command) ? `"${command}"` : command
    const line = withUrl(program, escapeForCmd(url))
    return {
      file: comSpec || 'cmd.exe',
      args: ['/d', '/s', '/c', `"${line}"`],
      windowsVerbatimArguments: true,
    }
  }
  const program = existsSync(command) ? `'${command.replaceAll("'", `'\\''`)}'` : command
  return { file: '/bin/sh', args: ['-c', withUrl(program, '"$1"'), 'browser', url] }
}

/** `command` with every `%s` (and its quotes, the URL brings its own) made `url`, or `url` appended. */
function withUrl(command: string, url: string): string {
  if (!command.includes('%s')) return `${command} ${url}`
  return command.replace(/(["']?)%s\1/g, () => url)
}

/** One argument for cmd.exe: quoted for the program's own parser, and cmd's special characters ^-escaped. */
function escapeForCmd(argument: string): string {
  const quoted = `"${argument.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\*)$/, '$1$1')}"`
  return quoted.replace(/[()[\]%!^"`<>&|;, *?]/g, '^$&')
}

function runBrowserCommand(command: string, url: string, fail: (why: string) => void): void {
  const { file, args, windowsVerbatimArguments } = browserCommand(command, url)
  const child = spawnChild(file, args, { stdio: 'ignore', windowsHide: true, windowsVerbatimArguments })
  child.on('error', (error) => fail(`could not run BROWSER (${error.message})`))
  child.on('exit', (code) => {
    if (code) fail(`BROWSER exited with code ${code}`)
  })
  child.unref()
}
