/**
 * All of stdin as text. The bytes are joined before decoding, so a character split across two chunks
 * arrives whole.
 */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
