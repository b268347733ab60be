/**
 * How the jq implementations on the npm registry compare, for `--jq` (issue 22): conformance on jq's own
 * manual examples, install size, and the time to load and run a first filter. Run once to choose; it is not
 * part of the package or of `npm test`, and the candidates are not dependencies:
 *
 *   npm install --prefix /tmp/jq-candidates jq-wasm@1.0.1 jq-web@0.6.2 @michaelhomer/jqjs@1.6.0 \
 *     jq-wasm-next@npm:jq-wasm@3.0.0-jq-1.8.2
 *   node --import tsx bench/jq-compare.ts /tmp/jq-candidates path/to/jq/tests/man.test
 *
 * man.test (in jq's source tree, generated from the manual's examples) holds blocks of a program, an input
 * and the expected outputs, one JSON value a line, separated by blank lines. An example passes when the
 * candidate's outputs are the expected values, in order (objects compared without regard to key order, as
 * jq's own test runner does).
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { isDeepStrictEqual } from 'node:util'

type Run = (program: string, input: string) => Promise<string[]>

interface Candidate {
  name: string
  /** the installed package's folder under node_modules */
  folder: string
  /** ES module source run in a fresh process to time loading and a first filter; `dir` is node_modules */
  firstRun: string
  load(modules: string): Promise<Run>
}

const FIRST = `const input = '[{"name":"fakestreamer"}]'; const program = '.[0].name'`

const candidates: Candidate[] = [
  {
    name: '@michaelhomer/jqjs 1.6.0 (JavaScript)',
    folder: '@michaelhomer/jqjs',
    firstRun: `${FIRST}; const { default: jq } = await import(dir + '/@michaelhomer/jqjs/jq.js'); [...jq.compile(program)(JSON.parse(input))]`,
    async load(modules) {
      const { default: jq } = (await import(
        pathToFileURL(join(modules, '@michaelhomer/jqjs/jq.js')).href
      )) as {
        default: { compile(program: string): (input: unknown) => Iterable<unknown> }
      }
      return async (program, input) =>
        [...jq.compile(program)(JSON.parse(input))].map((v) => JSON.stringify(v))
    },
  },
  {
    name: 'jq-wasm 1.0.1 (jq 1.7.1, WebAssembly)',
    folder: 'jq-wasm',
    firstRun: `${FIRST}; const jq = (await import(dir + '/jq-wasm/dist/index.js')).default; await jq.raw(input, program, ['-c'])`,
    async load(modules) {
      const jq = createRequire(join(modules, 'x'))('jq-wasm') as {
        raw(input: string, program: string, flags: string[]): Promise<string>
      }
      return async (program, input) => lines(await jq.raw(input, program, ['-c']))
    },
  },
  {
    name: 'jq-wasm 3.0.0-jq-1.8.2 (prerelease, jq 1.8.2, WebAssembly)',
    folder: 'jq-wasm-next',
    firstRun: `${FIRST}; const { loadJq } = await import(dir + '/jq-wasm-next/dist/index.mjs'); (await loadJq()).raw(input, program, ['-c'])`,
    async load(modules) {
      const { loadJq } = createRequire(join(modules, 'x'))('jq-wasm-next') as {
        loadJq(): Promise<{ raw(input: string, program: string, flags: string[]): { stdout: string } }>
      }
      const jq = await loadJq()
      return async (program, input) => lines(jq.raw(input, program, ['-c']).stdout)
    },
  },
  {
    name: 'jq-web 0.6.2 (jq 1.7, WebAssembly)',
    folder: 'jq-web',
    firstRun: `${FIRST}; const { createRequire } = await import('node:module'); const jq = await createRequire(dir + '/x')('jq-web'); jq.raw(input, program, ['-c'])`,
    async load(modules) {
      const jq = (await createRequire(join(modules, 'x'))('jq-web')) as {
        raw(input: string, program: string, flags: string[]): string
      }
      return async (program, input) => lines(jq.raw(input, program, ['-c']))
    },
  },
]

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '')
}

interface Example {
  program: string
  input: string
  expected: string[]
}

function examples(file: string): Example[] {
  return readFileSync(file, 'utf8')
    .split(/\n\s*\n/)
    .map((block) => block.split('\n').filter((line) => line !== '' && !line.startsWith('#')))
    .filter((block) => block.length >= 2)
    .map(([program, input, ...expected]) => ({ program: program!, input: input!, expected }))
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return Symbol('unparsable')
  }
}

async function conformance(run: Run, all: Example[]): Promise<{ passed: number; failed: string[] }> {
  const failed: string[] = []
  for (const example of all) {
    let outputs: string[]
    try {
      outputs = await run(example.program, example.input)
    } catch {
      outputs = ['<error>']
    }
    const ok =
      outputs.length === example.expected.length &&
      outputs.every((output, index) => isDeepStrictEqual(parsed(output), parsed(example.expected[index]!)))
    if (!ok) failed.push(example.program)
  }
  return { passed: all.length - failed.length, failed }
}

/** Median of fresh processes, each timing `import` of the package and one first filter. */
function firstRunMs(candidate: Candidate, modules: string, rounds = 9): number {
  const script = `const dir = ${JSON.stringify(pathToFileURL(modules).href.replace(/^file:\/\//, ''))}; const start = performance.now(); ${candidate.firstRun}; console.log(performance.now() - start)`
  const times: number[] = []
  for (let round = 0; round < rounds; round++) {
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })
    if (result.status !== 0) throw new Error(`${candidate.name}: ${result.stderr}`)
    times.push(Number(result.stdout.trim()))
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)]!
}

function installedKiB(folder: string): number {
  return Number(execFileSync('du', ['-sk', folder], { encoding: 'utf8' }).split('\t')[0])
}

const [prefix, manTest] = process.argv.slice(2)
if (!prefix || !manTest) {
  console.error('usage: node --import tsx bench/jq-compare.ts CANDIDATES_PREFIX path/to/jq/tests/man.test')
  process.exit(2)
}
const modules = join(prefix, 'node_modules')
const all = examples(manTest)
console.log(`${all.length} examples from ${manTest}; Node ${process.version}\n`)
for (const candidate of candidates) {
  const run = await candidate.load(modules)
  const { passed, failed } = await conformance(run, all)
  const size = installedKiB(join(modules, candidate.folder))
  const first = firstRunMs(candidate, modules)
  console.log(
    `${candidate.name}\n  conformance ${passed}/${all.length}, installed ${size} KiB, ` +
      `import + first filter ${first.toFixed(1)} ms (median of 9 fresh processes)`,
  )
  console.log(`  failed: ${failed.map((program) => JSON.stringify(program)).join(', ')}\n`)
}
