#!/usr/bin/env node
// `kick --version` is answered here, without loading oclif: scripts call it, and it should cost no more than
// starting Node.
const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const { readFileSync } = await import('node:fs')
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`kick/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  const { execute } = await import('@oclif/core')
  await execute({ dir: import.meta.url })
}
