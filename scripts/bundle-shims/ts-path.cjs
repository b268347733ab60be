// Stands in for oclif's config/ts-path.js inside the bundle. In development (NODE_ENV=development or test)
// oclif maps compiled paths back to TypeScript sources, through the project's tsconfig.json, typescript,
// tsx or ts-node: none of which an installed kick-cli has, and a kick run in a TypeScript project with
// NODE_ENV=development would pick up that project's tsconfig. The bundle has no sources to map to, so every
// path is the compiled one, as oclif answers in production.
const { join } = require('node:path')

exports.TS_CONFIGS = {}
exports.tsPath = async function tsPath(root, orig) {
  if (!orig) return orig
  return orig.startsWith(root) ? orig : join(root, orig)
}
