import { createServices } from '../app.ts'
import { openMigratedDatabase } from './database.ts'
import { parseOptions } from './options.ts'

const usage = `Usage:
  waymark api-client add --name NAME --roles ROLE_WAYMARK__PEOPLE__RO,… --establishments NHI,…
  waymark api-client add --external-client-id ID --establishments NHI,… [--name NAME]
  waymark api-client list
  waymark api-client revoke --client-id ID`

/** The command's own name in the audit trail: an administrator at the server, with no account. */
const administrator = { id: null, username: 'waymark-api-client' }

/**
 * Issue 15: an administrator registers the systems that may call the API. `add` prints the client id and
 * secret as JSON, once: only the secret's hash is kept, so it cannot be shown again. With
 * `--external-client-id` it registers a system whose tokens come from the external issuer (`API_TOKEN_ISSUER`)
 * by its client id there, with the prisons it may ask about: no secret, and its roles come with its tokens.
 */
export async function apiClient(
  args: string[],
  output: { write: (text: string) => unknown } = process.stdout,
): Promise<number> {
  const [action, ...rest] = args
  const parsed = parseOptions(rest, {
    name: { type: 'string' },
    roles: { type: 'string' },
    establishments: { type: 'string' },
    'client-id': { type: 'string' },
    'external-client-id': { type: 'string' },
  })
  if (!parsed.ok || !action || !['add', 'list', 'revoke'].includes(action)) {
    console.error(`${parsed.ok ? '' : parsed.message + '\n'}${usage}`)
    return 2
  }
  const handle = await openMigratedDatabase()
  try {
    const { api } = createServices({ db: handle.db })
    if (action === 'add' && parsed.values['external-client-id'] !== undefined) {
      const added = await api.addExternalClient(administrator, {
        ...parsed.values,
        externalClientId: parsed.values['external-client-id'],
      })
      if (!added.ok) {
        for (const problem of added.problems) console.error(problemText(problem))
        console.error(usage)
        return 2
      }
      output.write(`${JSON.stringify({ clientId: added.clientId, tokensFrom: 'external' })}\n`)
      console.error(
        `Registered ${added.clientId}: its tokens from API_TOKEN_ISSUER are accepted for these prisons, with the Waymark roles they hold.`,
      )
      return 0
    }
    if (action === 'add') {
      const added = await api.addClient(administrator, parsed.values)
      if (!added.ok) {
        for (const problem of added.problems) console.error(problemText(problem))
        console.error(usage)
        return 2
      }
      output.write(`${JSON.stringify({ clientId: added.clientId, clientSecret: added.clientSecret })}\n`)
      console.error('Keep the secret now: Waymark keeps only its hash and cannot show it again.')
      return 0
    }
    if (action === 'list') {
      output.write(`${JSON.stringify(await api.listClients(), null, 2)}\n`)
      return 0
    }
    const clientId = parsed.values['client-id']
    if (!clientId) {
      console.error(usage)
      return 2
    }
    if (!(await api.revokeClient(administrator, clientId))) {
      console.error(`No client ${clientId} is registered and not yet revoked`)
      return 2
    }
    console.error(`Revoked ${clientId}: it can get no new token, and its tokens are refused from now on.`)
    return 0
  } finally {
    await handle.close()
  }
}

function problemText(problem: { field: string; problem: string; values?: string[] }): string {
  const values = problem.values?.join(', ')
  if (problem.field === 'name')
    return problem.problem === 'missing' ? 'Give the client a --name' : 'The --name must be 100 characters or fewer'
  if (problem.field === 'externalClientId') {
    if (problem.problem === 'missing') return 'Give the client’s id at the issuer with --external-client-id'
    if (problem.problem === 'taken') return 'A client with that id is already registered (revoked clients stay revoked)'
    return 'The --external-client-id must be up to 100 visible characters, without spaces'
  }
  if (problem.field === 'roles' && problem.problem === 'from-the-issuer')
    return 'An external client’s roles come with its tokens from the issuer: leave out --roles'
  if (problem.field === 'roles')
    return problem.problem === 'missing'
      ? 'Give at least one role with --roles, such as ROLE_WAYMARK__PEOPLE__RO'
      : `No such role: ${values ?? ''}`
  return problem.problem === 'missing'
    ? 'Give the prisons the client may ask about with --establishments, such as NHI'
    : `No establishment with the code ${values ?? ''}`
}
