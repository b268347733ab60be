// Stands in for `wsl-utils` inside the bundle. oclif imports it only to read `isWsl` while it loads its
// config; the package also loads child_process and PowerShell helpers at import, milliseconds on every run.
// `is-wsl` is where wsl-utils takes the answer from.
exports.isWsl = require('is-wsl').default
