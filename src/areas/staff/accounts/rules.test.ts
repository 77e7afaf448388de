import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  checkAccess,
  checkNewAccount,
  grantableRoles,
  inScope,
  lastAdministratorRefusal,
  prisonsAfter,
  type AccountChoices,
} from './rules.ts'

const choices: AccountChoices = {
  roles: grantableRoles('admin'),
  prisons: ['NHI', 'EWI'],
  organisations: [
    { id: 'hmpps', isPartner: false },
    { id: 'open-door', isPartner: true },
  ],
  usernameTaken: (username) => username === 'demo.officer',
}

describe('who may give which role (issue 13)', () => {
  it('lets an administrator give every role, their own among them', () => {
    assert.ok(grantableRoles('admin').includes('officer'))
    assert.ok(grantableRoles('admin').includes('admin'))
    assert.ok(grantableRoles('admin').includes('director'))
  })

  it('never lets anyone else give an administrator’s role', () => {
    for (const giver of ['governor', 'safercustody', 'partner', 'director'] as const)
      assert.ok(!grantableRoles(giver).includes('admin'), giver)
  })
})

describe('a new account', () => {
  const form = {
    username: ' Nia.Roberts ',
    displayName: ' Nia   Roberts ',
    role: 'officer',
    organisationId: 'hmpps',
    establishmentCodes: 'NHI',
  }

  it('takes a username in lower case, a name with its spaces tidied, and the prisons chosen', () => {
    const checked = checkNewAccount(form, choices)
    assert.deepEqual(checked.values, {
      username: 'nia.roberts',
      displayName: 'Nia Roberts',
      role: 'officer',
      organisationId: 'hmpps',
      establishmentCodes: ['NHI'],
      managesOrganisationAccounts: false,
    })
  })

  it('refuses a taken username, a username with spaces, no name and no prison, each beside its field', () => {
    assert.deepEqual(
      checkNewAccount(
        { ...form, username: 'demo.officer', displayName: '', establishmentCodes: [] },
        choices,
      ).refusals.map((refusal) => `${refusal.field} ${refusal.messageKey}`),
      [
        'username accounts.error.usernameTaken',
        'displayName accounts.error.nameMissing',
        'establishmentCodes accounts.error.noPrison',
      ],
    )
    assert.deepEqual(
      checkNewAccount({ ...form, username: 'nia roberts' }, choices).refusals.map((refusal) => refusal.messageKey),
      ['accounts.error.usernameForm'],
    )
  })
})

describe('access', () => {
  it('refuses a prison the giver does not hold, a role not on the list, and a partner lead who is no partner', () => {
    const checked = checkAccess(
      { role: 'superuser', establishmentCodes: ['NHI', 'BGI'], managesOrganisationAccounts: 'yes' },
      choices,
    )
    assert.deepEqual(
      checked.refusals.map((refusal) => refusal.messageKey),
      ['accounts.error.role', 'accounts.error.notYourPrison', 'accounts.error.leadNotPartner'],
    )
  })

  it('puts a partner in a partner organisation, never the prison service or none', () => {
    for (const organisationId of ['hmpps', ''])
      assert.deepEqual(
        checkAccess({ role: 'partner', organisationId, establishmentCodes: 'NHI' }, choices).refusals.map(
          (refusal) => refusal.messageKey,
        ),
        ['accounts.error.partnerOrganisation'],
      )
    assert.equal(
      checkAccess(
        { role: 'partner', organisationId: 'open-door', establishmentCodes: 'NHI', managesOrganisationAccounts: 'yes' },
        choices,
      ).values?.managesOrganisationAccounts,
      true,
    )
  })

  it('keeps the prisons that are not the giver’s to change', () => {
    assert.deepEqual(prisonsAfter(['BGI', 'NHI'], ['NHI', 'EWI'], ['EWI']), ['BGI', 'EWI'])
    assert.deepEqual(prisonsAfter(['NHI'], ['NHI'], []), [])
  })
})

describe('the last administrator of a prison', () => {
  const admin = { role: 'admin' as const, isActive: true, establishmentCodes: ['NHI', 'EWI'] }
  const counts = new Map([
    ['NHI', 1],
    ['EWI', 2],
  ])

  it('is not disabled, made something else, or taken from the prison', () => {
    assert.equal(lastAdministratorRefusal(admin, { ...admin, isActive: false }, counts)?.values?.prison, 'NHI')
    assert.equal(lastAdministratorRefusal(admin, { ...admin, role: 'governor' }, counts)?.values?.prison, 'NHI')
    assert.equal(
      lastAdministratorRefusal(admin, { ...admin, establishmentCodes: ['EWI'] }, counts)?.values?.prison,
      'NHI',
    )
  })

  it('may leave a prison with another administrator', () => {
    assert.equal(lastAdministratorRefusal(admin, { ...admin, establishmentCodes: ['NHI'] }, counts), null)
    assert.equal(lastAdministratorRefusal({ ...admin, role: 'officer' }, { ...admin, isActive: false }, counts), null)
  })
})

describe('whose accounts a partner lead manages', () => {
  const scope = { kind: 'organisation' as const, organisationId: 'open-door' }
  it('is their own organisation’s partners at their prisons, and no one else', () => {
    const partner = { role: 'partner', organisationId: 'open-door', establishmentCodes: ['NHI'] }
    assert.equal(inScope(scope, partner, ['NHI']), true)
    assert.equal(inScope(scope, { ...partner, organisationId: 'bridge' }, ['NHI']), false)
    assert.equal(inScope(scope, { ...partner, role: 'officer' }, ['NHI']), false)
    assert.equal(inScope(scope, partner, ['EWI']), false)
    assert.equal(inScope({ kind: 'prisons' }, { ...partner, role: 'officer' }, ['NHI']), true)
  })
})
