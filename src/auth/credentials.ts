import { updateProfile, validateConfigValue } from '../config/config.js'
import { UsageError } from '../errors.js'
import { interactive } from '../output/terminal.js'
import { profileFlag, type Session } from './session.js'

export interface AppCredentials {
  clientId: string
  clientSecret: string
}

/**
 * The app's client id and secret for `kick login`: environment, then config and the keychain; in a terminal,
 * asked for (the secret hidden) and stored for next time. Scripts get a usage error saying how to set them.
 */
export async function appCredentials(session: Session): Promise<AppCredentials> {
  let clientId = session.settings.clientId
  let clientSecret = await session.clientSecret()
  if (clientId && clientSecret) return { clientId, clientSecret }
  if (!interactive()) {
    const missing = clientId ? 'client-secret' : 'client-id'
    const env = clientId ? 'KICK_CLIENT_SECRET' : 'KICK_CLIENT_ID'
    throw new UsageError(
      `no ${missing} for the Kick app: run \`kick config set ${missing} VALUE${profileFlag(session.profile)}\` or set ${env}`,
    )
  }
  const { input, password } = await import('@inquirer/prompts')
  const context = { output: process.stderr }
  if (!clientId) {
    const answer = await input(
      {
        message: 'Client ID of your Kick app (https://kick.com/settings/developer):',
        validate: (value) => value.trim() !== '' || 'the client id is required',
      },
      context,
    )
    clientId = validateConfigValue('client-id', answer)
    const id = clientId
    await updateProfile(session.profile, (config) => (config['client-id'] = id))
  }
  if (!clientSecret) {
    const answer = await password(
      {
        message: 'Client secret (stored in the system keychain):',
        mask: true,
        validate: (value) => value.trim() !== '' || 'the client secret is required',
      },
      context,
    )
    clientSecret = validateConfigValue('client-secret', answer)
    await (await session.store()).set(session.profile, 'client-secret', clientSecret)
  }
  return { clientId, clientSecret }
}
