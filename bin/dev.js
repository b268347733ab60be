#!/usr/bin/env -S node --import tsx
// Runs the TypeScript sources directly (through tsx), for development: `./bin/dev.js users get`.
// The shipped CLI runs one bundle (see bin/run.js); here oclif finds the commands as files under src/commands.
import { execute } from '@oclif/core'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const pjson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
pjson.oclif.commands = './src/commands'
await execute({ development: true, dir: import.meta.url, loadOptions: { root, pjson } })
