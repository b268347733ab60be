// Stands in for `wsl-utils` inside the bundle. oclif imports it only to read `isWsl` while it loads its
// config, to name the platform `wsl` (in config.platform and its user agent). The package loads child_process
// and PowerShell helpers at import, and is-wsl reads /proc/version and looks for container files: milliseconds
// on every run. The kernel's release name says WSL for both versions ("…-microsoft-standard-WSL2",
// "…-Microsoft") without reading a file; a WSL on a custom kernel is named plain `linux`.
exports.isWsl = process.platform === 'linux' && /microsoft/i.test(require('node:os').release())
