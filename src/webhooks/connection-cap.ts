import type { Server, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

/** Open connections `kick listen` keeps at most: Kick needs a few; thousands are someone holding them open. */
export const MAX_CONNECTIONS = 1_000

/**
 * The answer a connection is serving now: Node's http server keeps it on the socket as `_httpMessage`
 * (read only here, at the cap), which spares every request a listener of ours on the hot path.
 */
type TrackedSocket = Socket & { _httpMessage?: ServerResponse | null }

/**
 * Keeps at most `cap` connections open, so a flood of idle or trickling ones cannot use up file descriptors.
 * Past the cap, room is made by closing the oldest connection that is owed nothing (idle keep-alive, or a
 * sender still trickling its head or body); one whose request has fully arrived is never cut for room, and
 * when every open connection is such, the newcomer is refused (closed at once). A real delivery arrives
 * whole in a moment, so it is the last to go: it gets through however many idle connections are held.
 */
export function capConnections(server: Server, cap: number, log: (line: string) => void): void {
  const open = new Set<Socket>()
  let full = false
  server.on('connection', (socket: Socket) => {
    if (open.size >= cap) {
      if (!full) {
        full = true
        log(
          `${cap.toLocaleString('en')} connections open: from now on each new one closes the oldest idle one (or is refused when none is idle)`,
        )
      }
      const idle = oldestIdle(open)
      if (!idle) return void socket.destroy()
      open.delete(idle)
      idle.destroy()
    }
    open.add(socket)
    socket.once('close', () => open.delete(socket))
  })
}

/** Only called at the cap; open connections are iterated oldest first. */
function oldestIdle(open: Set<Socket>): Socket | undefined {
  for (const socket of open) {
    const res = (socket as TrackedSocket)._httpMessage
    const owed = res != null && !res.writableEnded && res.req.complete
    if (!owed) return socket
  }
  return undefined
}
