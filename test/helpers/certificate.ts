import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface Certificate {
  /** the PEM certificate's file: for NODE_EXTRA_CA_CERTS, as a user behind a corporate CA trusts one */
  certFile: string
  cert: Buffer
  key: Buffer
}

/** A self-signed certificate for one name (`IP:127.0.0.1`, `DNS:api.kick.invalid`), made by openssl, valid a day. */
export function selfSignedCertificate(subjectAltName: string): Certificate {
  const dir = mkdtempSync(join(tmpdir(), 'kick-tls-'))
  const certFile = join(dir, 'cert.pem')
  const keyFile = join(dir, 'key.pem')
  const name = subjectAltName.replace(/^\w+:/, '')
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${name}`,
    '-addext', `subjectAltName=${subjectAltName}`, '-keyout', keyFile, '-out', certFile,
  ], { stdio: 'ignore' }) // prettier-ignore
  return { certFile, cert: readFileSync(certFile), key: readFileSync(keyFile) }
}
