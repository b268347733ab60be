import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

import { browserCommand, openBrowser } from '../../src/auth/browser.js'

// a URL with everything a shell would act on
const URL_ = 'https://id.kick.com/oauth/authorize?a=1&b=$(touch pwned)&c=\'x\'`y`;d=%3A*?e="f"'

/** A real browser stand-in: a script, in a directory with a space, that writes the arguments it was given. */
function browserScript(exitCode = 0): { script: string; argsFile: string } {
  const dir = join(mkdtempSync(join(tmpdir(), 'kick-browser-')), 'my browser')
  mkdirSync(dir)
  const script = join(dir, 'open-url')
  const argsFile = join(dir, 'args.json')
  writeFileSync(
    script,
    `#!${process.execPath}\n` +
      `require('node:fs').writeFileSync(${JSON.stringify(argsFile)}, JSON.stringify(process.argv.slice(2)))\n` +
      `process.exit(${exitCode})\n`,
  )
  chmodSync(script, 0o755)
  return { script, argsFile }
}

/** Opens URL_ with $BROWSER set to `command`; resolves with the arguments the script received. */
async function argumentsGiven(command: string, argsFile: string, warnings: string[] = []): Promise<string[]> {
  process.env.BROWSER = command
  await openBrowser(URL_, (message) => warnings.push(message))
  // the browser runs detached: wait for what it wrote (the test's timeout bounds the wait)
  while (!existsSync(argsFile)) await new Promise((resolve) => setTimeout(resolve, 20))
  return JSON.parse(readFileSync(argsFile, 'utf8')) as string[]
}

describe.skipIf(process.platform === 'win32')('$BROWSER on POSIX, run for real', () => {
  const saved = process.env.BROWSER
  afterEach(() => {
    process.env.BROWSER = saved
  })

  it('puts the URL where %s is, as one argument, whatever it contains', async () => {
    const { script, argsFile } = browserScript()
    expect(await argumentsGiven(`'${script}' --new-window %s --profile work`, argsFile)).toEqual([
      '--new-window',
      URL_,
      '--profile',
      'work',
    ])
  })

  it('accepts a quoted "%s", and appends the URL when there is no %s', async () => {
    const quoted = browserScript()
    expect(await argumentsGiven(`"${quoted.script}" "%s" --after`, quoted.argsFile)).toEqual([
      URL_,
      '--after',
    ])
    const appended = browserScript()
    expect(await argumentsGiven(`"${appended.script}" --new-window`, appended.argsFile)).toEqual([
      '--new-window',
      URL_,
    ])
  })

  it('runs a BROWSER that is a path with spaces, unquoted, as that program', async () => {
    const { script, argsFile } = browserScript()
    expect(await argumentsGiven(script, argsFile)).toEqual([URL_])
  })

  it('warns when the browser fails, naming its exit code', async () => {
    const { script, argsFile } = browserScript(3)
    const warnings: string[] = []
    await argumentsGiven(`'${script}' %s`, argsFile, warnings)
    while (warnings.length === 0) await new Promise((resolve) => setTimeout(resolve, 20))
    expect(warnings).toEqual(['BROWSER exited with code 3'])
  })
})

describe('browserCommand', () => {
  const url = 'https://id.kick.com/oauth/authorize?a=1&redirect_uri=http%3A%2F%2Flocalhost'

  it('on POSIX, hands sh the command line and the URL as $1, never as shell text', () => {
    expect(browserCommand('firefox --new-window %s', url, 'linux')).toEqual({
      file: '/bin/sh',
      args: ['-c', 'firefox --new-window "$1"', 'browser', url],
    })
    expect(browserCommand("open -a 'Google Chrome'", url, 'darwin').args[1]).toBe(
      `open -a 'Google Chrome' "$1"`,
    )
  })

  it('on Windows, runs the command line through cmd.exe (which runs a .cmd opener), the URL escaped for it', () => {
    const opener = '"C:\\Program Files\\Opener\\open.cmd" --new-window %s'
    expect(browserCommand(opener, url, 'win32', 'C:\\Windows\\system32\\cmd.exe')).toEqual({
      file: 'C:\\Windows\\system32\\cmd.exe',
      args: [
        '/d',
        '/s',
        '/c',
        '""C:\\Program Files\\Opener\\open.cmd" --new-window ' +
          '^"https://id.kick.com/oauth/authorize^?a=1^&redirect_uri=http^%3A^%2F^%2Flocalhost^""',
      ],
      windowsVerbatimArguments: true,
    })
    // no ComSpec: cmd.exe from PATH; no %s: the URL last; a quote in it escaped for the program and for cmd
    expect(browserCommand('firefox', 'https://x/?q="a b"', 'win32', undefined)).toEqual({
      file: 'cmd.exe',
      args: ['/d', '/s', '/c', '"firefox ^"https://x/^?q=\\^"a^ b\\^"^""'],
      windowsVerbatimArguments: true,
    })
  })
})
