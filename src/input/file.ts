import { createReadStream } from 'node:fs'

/**
 * The most a payload or saved-delivery file may hold. Kick's deliveries are a few KiB and `kick listen` refuses
 * bodies over 1 MiB (a saved file of one, escaped, stays under 7 MiB); the bound keeps `--file /dev/zero` or an
 * endless pipe from filling memory.
 */
export const MAX_INPUT_FILE_BYTES = 16 * 1024 * 1024

/** A file or stdin that holds more than its reader allows. */
export class InputTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`larger than ${maxBytes / (1024 * 1024)} MiB`)
    this.name = 'InputTooLargeError'
  }
}

/**
 * A file's bytes (`-`: stdin's), at most `maxBytes`: reading stops at the bound, so an endless source ends
 * with an InputTooLargeError instead of exhausting memory.
 */
export async function readBoundedFile(file: string, maxBytes = MAX_INPUT_FILE_BYTES): Promise<Buffer> {
  const source = file === '-' ? process.stdin : createReadStream(file)
  const chunks: Buffer[] = []
  let size = 0
  // leaving the loop early (the throw) destroys the stream
  for await (const chunk of source) {
    size += (chunk as Buffer).length
    if (size > maxBytes) throw new InputTooLargeError(maxBytes)
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

/** Why a file could not be read, in a few words (`no such file`, `a directory`, `larger than 16 MiB`). */
export function unreadableReason(error: unknown): string {
  if (error instanceof InputTooLargeError) return error.message
  const { code, message } = error as NodeJS.ErrnoException
  if (code === 'ENOENT') return 'no such file'
  if (code === 'EISDIR') return 'a directory, not a file'
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied'
  return code ?? message
}
