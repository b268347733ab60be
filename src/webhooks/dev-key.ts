import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

import { createFileOnce, ensureConfigDir } from '../config/files.js'
import { checkPrivateDir, configDirError } from '../config/private-dir.js'
import { configDir } from '../config/paths.js'

/**
 * The local development key: an RSA-2048 pair generated on first use and kept 0600 in the config dir. `kick
 * trigger` and `kick mock` sign with it; `kick listen --accept-dev-signatures` accepts it. It is not Kick's.
 */
export interface DevKey {
  privateKey: KeyObject
  publicKey: KeyObject
  publicKeyPem: string
}

export const devKeyFile = (): string => join(configDir(), 'dev-webhook-key.pem')

export async function loadDevKey(): Promise<DevKey> {
  const file = devKeyFile()
  // a key another user could have planted would sign (and be accepted for) what they send
  checkPrivateDir(configDir())
  let pem: string
  try {
    pem = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string
    const dir = await ensureConfigDir()
    let created: boolean
    try {
      // when two processes race on first use, the first key written wins (whole) and both use it
      created = await createFileOnce(file, pem, { mode: 0o600 })
    } catch (error) {
      throw configDirError(error, dir)
    }
    if (!created) pem = await readFile(file, 'utf8')
  }
  const privateKey = createPrivateKey(pem)
  const publicKey = createPublicKey(privateKey)
  return { privateKey, publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string }
}

/**
 * The dev key's public half when one was generated already, else undefined (nothing is generated): enough
 * for a listener that does not accept it to say so when a delivery arrives signed with it.
 */
export async function existingDevPublicKey(): Promise<KeyObject | undefined> {
  try {
    return createPublicKey(createPrivateKey(await readFile(devKeyFile(), 'utf8')))
  } catch {
    return undefined
  }
}
