#!/usr/bin/env -S node --import tsx
// Runs src/ directly through tsx, for development: `./bin/dev.js users get`.
import { execute } from '@oclif/core'

await execute({ development: true, dir: import.meta.url })
