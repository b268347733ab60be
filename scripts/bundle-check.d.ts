// Types of bundle-check.js for the tests (scripts/ run as plain JavaScript under Node).
import type { Metafile } from 'esbuild'

export function packageName(specifier: string): string
export function runtimeImportProblems(
  metafile: Metafile,
  pjson: {
    files?: string[]
    dependencies?: Record<string, string>
    peerDependencies?: Record<string, string>
    peerDependenciesMeta?: Record<string, { optional?: boolean }>
  },
  root: string,
): string[]
export function checkRuntimeImports(metafile: Metafile, options: { root: string }): void
