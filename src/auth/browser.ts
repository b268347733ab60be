import { spawn } from 'node:child_process'

/**
 * Opens the login URL: `$BROWSER` when set (run as a command with the URL as its argument, the usual
 * convention; a `%s` in it is replaced by the URL), else the system browser through `open`. A browser that
 * cannot start is only a warning: the URL is on stderr for the user to open.
 */
export async function openBrowser(url: string, warn: (message: string) => void): Promise<void> {
  const command = process.env.BROWSER?.trim()
  if (command) {
    runBrowserCommand(command, url, warn)
    return
  }
  try {
    const { default: open } = await import('open')
    const child = await open(url)
    child.on('error', (error) =>
      warn(`could not open a browser (${error.message}): open the URL above yourself`),
    )
    child.unref()
  } catch (error) {
    warn(`could not open a browser (${(error as Error).message}): open the URL above yourself`)
  }
}

function runBrowserCommand(command: string, url: string, warn: (message: string) => void): void {
  // The URL travels as a positional parameter, never through the shell's parser: it is full of `&`.
  const child =
    process.platform === 'win32'
      ? spawn(command, [url], { stdio: 'ignore', windowsHide: true })
      : spawn(
          '/bin/sh',
          [
            '-c',
            command.includes('%s') ? command.replaceAll('%s', '"$1"') : `${command} "$1"`,
            'browser',
            url,
          ],
          {
            stdio: 'ignore',
          },
        )
  child.on('error', (error) => warn(`could not run BROWSER (${error.message}): open the URL above yourself`))
  child.on('exit', (code) => {
    if (code) warn(`BROWSER exited with code ${code}: open the URL above yourself`)
  })
  child.unref()
}
