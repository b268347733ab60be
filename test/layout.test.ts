import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

import { describe, expect, it } from 'vitest'

import { ROOT } from './helpers/run-kick.js'

/**
 * The house rules of STYLE.md that a reader cannot see from one file: imports run one way (no file cycle, no two
 * folders of src/ importing each other, type imports and `import()` included) and no source file grows past 600
 * lines. Built from the sources' own import lines, so a new file is covered without listing it.
 */
const SRC = join(ROOT, 'src')
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)'([^']+)'/gm

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

/** Each source file (relative to src/) and the source files it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8')
    const targets = [...text.matchAll(SPECIFIER)]
      .map((match) => match[1]!)
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => relative(SRC, resolve(dirname(file), specifier.replace(/\.js$/, '.ts'))))
    graph.set(relative(SRC, file), [...new Set(targets)])
  }
  return graph
}

/** The part of src/ a file belongs to: its top folder, or the file itself at the top. */
const part = (file: string): string => (file.includes('/') ? file.split('/')[0]! : file)

/** Strongly connected groups of more than one file (Tarjan), each a cycle of imports. */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0
  const order = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  const visit = (node: string): void => {
    order.set(node, index)
    low.set(node, index++)
    stack.push(node)
    onStack.add(node)
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue
      if (!order.has(next)) {
        visit(next)
        low.set(node, Math.min(low.get(node)!, low.get(next)!))
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, order.get(next)!))
    }
    if (low.get(node) === order.get(node)) {
      const group: string[] = []
      let member: string
      do {
        member = stack.pop()!
        onStack.delete(member)
        group.push(member)
      } while (member !== node)
      if (group.length > 1) found.push(group.sort())
    }
  }
  for (const node of graph.keys()) if (!order.has(node)) visit(node)
  return found
}

describe('the layout of src/', () => {
  const graph = importGraph()

  it('reads the import lines it checks (a broken pattern would make every check pass)', () => {
    expect(graph.get('base-command.ts')).toContain('errors.ts')
    expect(graph.get('webhooks/tunnels/index.ts')).toEqual(
      expect.arrayContaining(['webhooks/tunnels/ngrok.ts']),
    )
  })

  it('has no import cycle between files', () => {
    expect(cycles(graph)).toEqual([])
  })

  it('has no two folders importing each other', () => {
    const edges = new Set<string>()
    for (const [file, targets] of graph)
      for (const target of targets)
        if (part(file) !== part(target)) edges.add(`${part(file)} -> ${part(target)}`)
    const mutual = [...edges].filter((edge) => {
      const [from, to] = edge.split(' -> ')
      return from! < to! && edges.has(`${to} -> ${from}`)
    })
    expect(mutual).toEqual([])
  })

  it('has no source file over 600 lines', () => {
    const long = [...graph.keys()]
      .map((file) => ({ file, lines: readFileSync(join(SRC, file), 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > 600)
    expect(long).toEqual([])
  })

  // issue 21 item 11: a program kick starts never inherits kick's secrets, so every start goes through one helper
  it('starts programs only through src/config/child-env.ts (node:child_process is loaded nowhere else)', () => {
    const starters = [...graph.keys()].filter(
      (file) =>
        file !== 'config/child-env.ts' &&
        // an import, or a require() of it (as a lazy load is written)
        /['"]node:child_process['"]/.test(
          readFileSync(join(SRC, file), 'utf8').replace(/import type [^\n]+/g, ''),
        ),
    )
    expect(starters).toEqual([])
  })
})
