// Stands in for `node:fs/promises` inside oclif, which reads a few small files at start-up (package.json,
// the manifest, a theme). On Node 20 loading fs/promises costs ~2.5 ms (it brings readline and web
// streams); the callback API of node:fs, loaded with Node itself, does the same work. These are the
// functions oclif imports from it; a new one shows up as a build error in scripts/bundle.js.
const fs = require('node:fs')
const { promisify } = require('node:util')

module.exports = {
  access: promisify(fs.access),
  readdir: promisify(fs.readdir),
  readFile: promisify(fs.readFile),
  stat: promisify(fs.stat),
}
