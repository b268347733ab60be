// Stands in for `supports-color` inside the bundle. Off a terminal its answer is "no colour" unless
// FORCE_COLOR or a --color flag says otherwise, and finding that out at import (it loads tty and inspects the
// terminal) costs milliseconds on every scripted run. So the real package is loaded only when the answer
// could be yes.
const mayColour =
  process.stdout.isTTY ||
  process.stderr.isTTY ||
  'FORCE_COLOR' in process.env ||
  process.argv.some((argument) => /^--(no-)?colou?rs?(=|$)/.test(argument))
module.exports = mayColour ? require('supports-color') : { stdout: false, stderr: false }
