import { spawn } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build, type Metafile } from 'esbuild'
import { afterAll, describe, expect, it } from 'vitest'

import { runtimeImportProblems } from '../../scripts/bundle-check.js'
import { ROOT } from '../helpers/run-kick.js'

const temp = mkdtempSync(join(tmpdir(), 'kick-bundle-check-'))
afterAll(() => rmSync(temp, { recursive: true, force: true }))

/** A copy of what the build reads (scripts, sources, package.json), with this checkout's node_modules. */
function checkoutCopy(name: string): string {
  const copy = join(temp, name)
  mkdirSync(copy)
  for (const entry of ['scripts', 'src', 'package.json', 'tsconfig.json'])
    cpSync(join(ROOT, entry), join(copy, entry), { recursive: true })
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir')
  return copy
}

function runBuild(cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/bundle.js'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, output }))
  })
}

describe('the build, when the bundle would load a package an installed kick-cli does not have', () => {
  it('fails, naming the package and the file that loads it, and writes no bundle', async () => {
    // a change that moves a package the bundle leaves external out of `dependencies`
    const copy = checkoutCopy('undeclared')
    const pjson = JSON.parse(readFileSync(join(copy, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>
      devDependencies: Record<string, string>
    }
    pjson.devDependencies['cli-table3'] = pjson.dependencies['cli-table3']!
    delete pjson.dependencies['cli-table3']
    writeFileSync(join(copy, 'package.json'), JSON.stringify(pjson))

    const result = await runBuild(copy)
    expect(result.code, result.output).toBe(1)
    expect(result.output).toContain(
      'Error: dist/kick.cjs would import "cli-table3" at run time (from src/output/table.ts), which is neither a Node built-in, a file kick-cli ships, nor in package.json "dependencies"',
    )
    expect(() => readFileSync(join(copy, 'dist', 'kick.cjs'))).toThrow(/ENOENT/)
  }, 120_000)

  it('passes for the package as it is', async () => {
    const result = await runBuild(checkoutCopy('as-is'))
    expect(result.code, result.output).toBe(0)
    expect(result.output).not.toContain('Error')
  }, 120_000)
})

describe('runtimeImportProblems, over a real esbuild metafile', () => {
  const pjson = {
    files: ['dist/out.cjs', 'dist/data'],
    dependencies: { 'cli-table3': '^0.6.0', '@inquirer/prompts': '^7.0.0' },
    devDependencies: { semver: '^7.0.0' },
    peerDependencies: { '@ngrok/ngrok': '^1.0.0', 'peer-required': '^1.0.0' },
    peerDependenciesMeta: { '@ngrok/ngrok': { optional: true } },
  }

  /** the metafile of bundling `source`, and the directory its paths are relative to */
  async function metafileOf(
    source: string,
    external: string[],
  ): Promise<{ metafile: Metafile; dir: string }> {
    const dir = mkdtempSync(join(temp, 'metafile-'))
    writeFileSync(join(dir, 'entry.js'), source)
    const result = await build({
      entryPoints: [join(dir, 'entry.js')],
      absWorkingDir: dir,
      outfile: join(dir, 'dist', 'out.cjs'),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      write: false,
      metafile: true,
      logLevel: 'silent',
      external,
    })
    return { metafile: result.metafile, dir }
  }

  it('accepts Node built-ins (with or without node:), declared dependencies and their subpaths, optional peers and shipped files', async () => {
    const { metafile, dir } = await metafileOf(
      [
        `require('node:fs')`,
        `require('fs/promises')`,
        `require('tty')`,
        `require('cli-table3')`,
        `import('@inquirer/prompts/confirm')`,
        `import('@ngrok/ngrok')`,
        `require('./data/words.json')`,
        `require('./out.cjs')`,
      ].join('\n'),
      ['cli-table3', '@inquirer/prompts', '@ngrok/ngrok', './data/*', './out.cjs'],
    )
    expect(runtimeImportProblems(metafile, pjson, dir)).toEqual([])
  })

  it('names each module that is a devDependency, a required peer, undeclared, or a file not shipped', async () => {
    const { metafile, dir } = await metafileOf(
      [
        `require('semver')`,
        `import('peer-required')`,
        `require('left-pad/index.js')`,
        `require('./notes.txt')`,
      ].join('\n'),
      ['semver', 'peer-required', 'left-pad', './notes.txt'],
    )
    const problems = runtimeImportProblems(metafile, pjson, dir)
    expect(problems).toHaveLength(4)
    expect(problems[0]).toMatch(/^dist\/out\.cjs would require "semver" at run time \(from entry\.js\)/)
    expect(problems[1]).toMatch(/^dist\/out\.cjs would import "peer-required" at run time/)
    expect(problems[2]).toMatch(/^dist\/out\.cjs would require "left-pad\/index\.js" at run time/)
    expect(problems[3]).toMatch(/^dist\/out\.cjs would require "\.\/notes\.txt" at run time/)
  })
})
