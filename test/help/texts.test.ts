import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Plugin } from '@oclif/core'
import { describe, expect, it } from 'vitest'

import { addHelpTexts, type CommandEntry, HELP_TEXTS_FILE, readHelpTexts } from '../../src/help/texts.js'
import { ROOT, runKick } from '../helpers/run-kick.js'

type Manifest = { commands: Record<string, CommandEntry & Record<string, unknown>> }
const read = <T>(file: string): T => JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as T

describe('the help texts kept out of oclif.manifest.json', () => {
  it('leaves the manifest oclif parses on every start without them, but for the summaries', () => {
    const textsIn = (object: object, fields: string[]): string[] => fields.filter((field) => field in object)
    for (const command of Object.values(read<Manifest>('oclif.manifest.json').commands)) {
      expect(textsIn(command, ['description', 'examples']), command.id).toEqual([])
      // root and topic help list commands by their summary, which stays
      expect(command.summary, command.id).toBeTruthy()
      for (const part of [...Object.values(command.flags), ...Object.values(command.args)])
        expect(textsIn(part, ['summary', 'description']), command.id).toEqual([])
    }
  })

  it('put back, make the manifest oclif builds from the commands themselves, aliases included', async () => {
    const plugin = new Plugin({ root: ROOT, type: 'core', ignoreManifest: true, respectNoCacheDefault: true })
    await plugin.load()
    const full = JSON.parse(JSON.stringify(plugin.manifest)) as Manifest
    const slim = read<Manifest>('oclif.manifest.json')
    const texts = readHelpTexts(ROOT)
    addHelpTexts(Object.values(slim.commands), texts)
    expect(slim.commands).toEqual(full.commands)
    const aliased = Object.values(full.commands).filter((command) => (command.aliases as string[]).length)
    expect(aliased.length).toBeGreaterThan(0)
    for (const command of aliased) {
      for (const alias of command.aliases as string[]) {
        const copy = { ...slim.commands[command.id]!, id: alias, description: undefined }
        addHelpTexts([copy], texts)
        expect(copy.description, alias).toBe(command.description)
      }
    }
  })

  it("root and topic help need only the manifest; a command's help reads the texts", async () => {
    // a copy of the package, run before and after its dist/help-texts.json is removed
    const copy = mkdtempSync(join(tmpdir(), 'kick-no-texts-'))
    for (const part of ['bin', 'dist', 'package.json', 'oclif.manifest.json'])
      cpSync(join(ROOT, part), join(copy, part), { recursive: true })
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'))
    const bin = join(copy, 'bin', 'run.js')
    const asked = [['--help'], ['users', '--help'], ['webhook', '--help'], ['users', 'get', '--help']]
    const withTexts = await Promise.all(asked.map((words) => runKick(words, { bin })))
    rmSync(join(copy, HELP_TEXTS_FILE))
    const withoutTexts = await Promise.all(asked.map((words) => runKick(words, { bin })))
    for (const [index, words] of asked.slice(0, 3).entries())
      expect(withoutTexts[index]!.stdout, words.join(' ')).toBe(withTexts[index]!.stdout)
    const description = 'Kick answers unknown ids with nothing'
    expect(withTexts[3]!.stdout).toContain(description)
    expect(withoutTexts[3]!.stdout).not.toContain(description)
  })

  it('keeps a text a command already has (loaded from its class, in development)', () => {
    const command = { id: 'users:get', summary: 'mine', flags: { id: { name: 'id' } }, args: {} }
    addHelpTexts([command], { 'users:get': { summary: 'theirs', flags: { id: { description: 'user id' } } } })
    expect(command).toEqual({
      id: 'users:get',
      summary: 'mine',
      flags: { id: { name: 'id', description: 'user id' } },
      args: {},
    })
  })
})
