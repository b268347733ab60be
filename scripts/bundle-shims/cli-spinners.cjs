// Stands in for `cli-spinners` (30 kB of frames) inside the bundle. oclif's ux.action builds a spinner when
// stderr is a terminal, and reads the frames of the one spinner it uses by default (`dots2`, `line` on
// Windows); kick never asks for another style. Frames as in cli-spinners 2.9.
module.exports = {
  dots2: {
    interval: 80,
    frames: ['\u28fe', '\u28fd', '\u28fb', '\u28bf', '\u287f', '\u28df', '\u28ef', '\u28f7'],
  },
  line: { interval: 130, frames: ['-', '\\', '|', '/'] },
}
