import { connect } from 'node:net'

export interface RawAnswer {
  /** the status of the first answer, 0 when none came (the server hung up without one) */
  status: number
  /** everything the server sent, as Latin-1 */
  text: string
}

/**
 * Sends `request` as it is, bytes no client library would send (curl and fetch normalise `//`, absolute-form,
 * bad percent-encoding), and reads until the server closes the connection: send `Connection: close`.
 */
export function rawRequest(port: number, request: string, host = '127.0.0.1'): Promise<RawAnswer> {
  return new Promise((resolve) => {
    let text = ''
    const socket = connect(port, host, () => socket.end(request))
    socket.setEncoding('latin1').on('data', (chunk: string) => (text += chunk))
    socket.setTimeout(20_000, () => socket.destroy())
    // a reset (the server hung up on what it would not read) is an answer of its own: whatever came before it
    socket.on('error', () => undefined)
    socket.on('close', () => resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0), text }))
  })
}

/** A GET of `target` (sent as is) with `Connection: close`, a Host (`127.0.0.1:PORT` unless given), and any extra header lines. */
export function rawGet(
  port: number,
  target: string,
  { host = `127.0.0.1:${port}`, headers = [] }: { host?: string; headers?: string[] } = {},
): Promise<RawAnswer> {
  const lines = [`GET ${target} HTTP/1.1`, `Host: ${host}`, 'Connection: close', ...headers]
  return rawRequest(port, `${lines.join('\r\n')}\r\n\r\n`)
}
