import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

import { addHelpTexts, type CommandEntry, readHelpTexts } from '../../src/help/texts.js'
import { ROOT, runKick } from '../helpers/run-kick.js'

const manifest = JSON.parse(readFileSync(new URL('../../oclif.manifest.json', import.meta.url), 'utf8')) as {
  commands: Record<
    string,
    CommandEntry & { aliases: string[]; summary?: string; flags: Record<string, object> }
  >
}
// the words of help, which scripts/manifest.js keeps beside the manifest
addHelpTexts(Object.values(manifest.commands), readHelpTexts(ROOT))
const pjson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  oclif: { topics: Record<string, { description: string }> }
}
const commandIds = Object.keys(manifest.commands).sort()
const topicIds = Object.keys(pjson.oclif.topics).sort()

/** Runs a few at a time: a spawn per command is the point, but the machine is shared. */
async function inBatches<T, R>(items: readonly T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = []
  for (let i = 0; i < items.length; i += 4)
    results.push(...(await Promise.all(items.slice(i, i + 4).map(run))))
  return results
}

// Each test starts the binary several times: generous limits for a loaded machine (not speed checks).
describe('help the way people type it', { timeout: 120_000 }, () => {
  it('`kick` alone: the topics, a few examples, and where to read about the environment and exit codes', async () => {
    const result = await runKick([])
    expect(result.code).toBe(0)
    expect(result.stderr).toBe('')
    expect(result.stdout).toContain('TOPICS\n')
    expect(result.stdout).toMatch(/EXAMPLES\n {2}\$ kick listen --demo\n/)
    expect(result.stdout).toMatch(/kick help environment +Environment variables kick reads/)
    expect(result.stdout).toMatch(/kick help exit-codes +What each exit status means/)
    expect(result.stdout).toMatch(/kick autocomplete +set up tab completion/)
    // the same as `kick help` and `kick --help`
    expect((await runKick(['help'])).stdout).toBe(result.stdout)
    expect((await runKick(['--help'])).stdout).toBe(result.stdout)
  })

  it('`kick help TOPIC`, `kick help TOPIC VERB`, `-h` and `--help` all show the same help', async () => {
    const topic = await runKick(['help', 'users'])
    expect(topic).toMatchObject({ code: 0, stderr: '' })
    expect(topic.stdout).toContain('users get  Get users by id')
    expect((await runKick(['users', '-h'])).stdout).toBe(topic.stdout)

    const command = await runKick(['help', 'users', 'get'])
    expect(command).toMatchObject({ code: 0, stderr: '' })
    expect(command.stdout).toMatch(/^Get users by id.*\n\nUSAGE\n {2}\$ kick users get /)
    expect((await runKick(['users', 'get', '-h'])).stdout).toBe(command.stdout)
    expect((await runKick(['users', 'get', '--help'])).stdout).toBe(command.stdout)
    // a nested topic and an alias
    expect((await runKick(['help', 'drops', 'claims', 'list'])).stdout).toContain('$ kick drops claims list')
    expect((await runKick(['help', 'listen'])).stdout).toContain('Receive webhooks')
  })

  it('-h works on every command and topic', async () => {
    // (`kick help -h` is the root help, as oclif has it: tested above)
    const words = [...commandIds, ...topicIds].filter((id) => id !== 'help').map((id) => id.split(':'))
    const results = await inBatches(words, async (typed) => ({
      typed,
      result: await runKick([...typed, '-h']),
    }))
    for (const { typed, result } of results) {
      expect({ typed, code: result.code, stderr: result.stderr }).toEqual({ typed, code: 0, stderr: '' })
      expect(result.stdout, typed.join(' ')).toContain(`$ kick ${typed.join(' ')}`)
    }
    // ~60 starts of the binary: a generous limit for a loaded machine (not a speed check)
  }, 600_000)

  it('`kick help environment` and `kick help exit-codes` are help topics of their own', async () => {
    const environment = await runKick(['help', 'environment'])
    expect(environment).toMatchObject({ code: 0, stderr: '' })
    for (const name of ['KICK_ACCESS_TOKEN', 'KICK_PROFILE', 'KICK_API_URL', 'BROWSER', 'NO_COLOR'])
      expect(environment.stdout).toContain(name)
    const exitCodes = await runKick(['help', 'exit-codes'])
    expect(exitCodes).toMatchObject({ code: 0, stderr: '' })
    expect(exitCodes.stdout).toMatch(/^ {2}4 +authentication needed/m)
    expect(exitCodes.stdout).toMatch(/^ {2}130 +interrupted/m)
  })

  it('`kick help` of something unknown is a usage error with the closest command', async () => {
    const result = await runKick(['help', 'usres', 'get'])
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe('Error: unknown command "usres get": did you mean `kick users get`?\n')
  })

  it('a typo followed by arguments still gets "did you mean"', async () => {
    const result = await runKick(['chat', 'sned', 'hi'])
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe('Error: unknown command "chat sned": did you mean `kick chat send`?\n')
  })

  it('an extra argument to a command that takes none is an "unexpected argument", exit 2', async () => {
    for (const args of [
      ['public-key', 'extra'],
      ['users', 'get', 'extra'],
    ]) {
      const result = await runKick(args)
      expect(result.code).toBe(2)
      expect(result.stdout).toBe('')
      const command = args.slice(0, -1).join(' ')
      expect(result.stderr).toBe(
        `Error: unexpected argument "extra": \`kick ${command}\` takes none (see \`kick ${command} --help\`)\n`,
      )
    }
  })

  it('usage lines show only the exclusions that exist: of redemptions list, --id alone excludes the rest', async () => {
    const result = await runKick(['redemptions', 'list', '-h'])
    const usage = result.stdout.split('\n\n')[1]!.replace(/\s+/g, ' ')
    expect(usage).toBe(
      'USAGE $ kick redemptions list [--id <value>... | [--reward-id <value>] [--status pending|accepted|rejected] ' +
        '[--cursor <value>] [--paginate]] [--json] [--jq <value>] [--profile <value>] [--verbose]',
    )
    const channels = await runKick(['channels', 'get', '-h'])
    expect(channels.stdout.replace(/\s+/g, ' ')).toContain(
      '[--slug <value>... | --broadcaster-id <value>...]',
    )
  })

  it('every example reads as a command line ($ …), and --json reads like every other flag', async () => {
    const token = await runKick(['auth', 'token', '-h'])
    expect(token.stdout).toContain('$ curl -H "Authorization: Bearer $(kick auth token)"')
    const users = await runKick(['users', 'get', '-h'])
    expect(users.stdout).toMatch(/--json +print JSON \(the default when stdout is not a terminal\)/)
    expect(users.stdout).not.toContain('Format output as json.')
    for (const [id, command] of Object.entries(manifest.commands)) {
      const json = command.flags.json as { description?: string } | undefined
      if (json) expect(json.description, id).toMatch(/^[a-z]/)
    }
  })
})
