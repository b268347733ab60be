// Stands in for the packages oclif uses only to discover plugins and commands in ways kick does not use:
// `minimatch` (which dependencies are plugins: kick declares none, and bin/run.js turns user and dev plugins
// off), `tinyglobby` (commands found by a file pattern: kick's are listed in the bundle, the "explicit"
// strategy) and `lilconfig` (an .oclifrc beside a package.json without an `oclif` section: kick's has one,
// and bin/run.js hands it to oclif). Reaching one of them means a change to how kick loads, which should
// fail loudly, not look for a package the installed kick-cli does not have.
function unreachable(what) {
  return () => {
    throw new Error(`kick-cli does not bundle ${what}: oclif reached it through plugin or command discovery`)
  }
}
module.exports = {
  minimatch: unreachable('minimatch'),
  glob: unreachable('tinyglobby'),
  lilconfig: unreachable('lilconfig'),
}
