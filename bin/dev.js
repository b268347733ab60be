#!/usr/bin/env -S node --import tsx
// Runs the TypeScript sources directly (through tsx), for development: `./bin/dev.js users get`.
// The shipped CLI runs one bundle (see bin/run.js); here oclif finds the commands as files under src/commands.
const { readFileSync } = require('node:fs')
const { join } = require('node:path')

const root = join(__dirname, '..')
const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
pjson.oclif.commands = './src/commands'
pjson.oclif.hooks = { command_not_found: './src/hooks/command-not-found.ts' }
pjson.oclif.helpClass = './src/help/kick-help.ts'
import('@oclif/core').then(({ execute }) =>
  execute({ development: true, dir: __filename, loadOptions: { root, pjson } }),
)
