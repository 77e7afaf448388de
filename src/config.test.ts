import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { ConfigError, loadConfig } from './config.ts'

describe('loadConfig', () => {
  it('starts on the embedded database at localhost:3000 when nothing is set', () => {
    const config = loadConfig({})
    assert.equal(config.port, 3000)
    assert.equal(config.host, 'localhost')
    assert.equal(config.databaseUrl, undefined)
    assert.equal(config.dataDirectory, './data')
    assert.equal(config.secureCookies, false)
  })

  it('takes PORT and HOST from the environment', () => {
    const config = loadConfig({ PORT: '8080', HOST: '0.0.0.0' })
    assert.equal(config.port, 8080)
    assert.equal(config.host, '0.0.0.0')
  })

  it('names the variable that is not valid', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty' }),
      (error: Error) => {
        assert.ok(error instanceof ConfigError)
        assert.match(error.message, /PORT: must be a port number/)
        return true
      },
    )
  })

  it('refuses a database address that is not PostgreSQL', () => {
    assert.throws(
      () => loadConfig({ DATABASE_URL: 'mysql://localhost/test' }),
      /DATABASE_URL: must start with postgres:\/\//,
    )
  })

  it('refuses to start in production without a cookie secret, and uses secure cookies there', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /COOKIE_SECRET must be set/)
    const config = loadConfig({ NODE_ENV: 'production', COOKIE_SECRET: 'x'.repeat(32) })
    assert.equal(config.secureCookies, true)
  })

  it('trusts no proxy unless TRUST_PROXY says so, in production too', () => {
    assert.equal(loadConfig({ NODE_ENV: 'production', COOKIE_SECRET: 'x'.repeat(32) }).trustProxy, false)
  })

  it('takes TRUST_PROXY as a number of proxies or a list of their addresses and ranges', () => {
    assert.equal(loadConfig({ TRUST_PROXY: '1' }).trustProxy, 1)
    assert.deepEqual(loadConfig({ TRUST_PROXY: '10.0.0.5, 10.1.0.0/16,fd00::/8, loopback' }).trustProxy, [
      '10.0.0.5',
      '10.1.0.0/16',
      'fd00::/8',
      'loopback',
    ])
  })

  for (const value of ['true', '0', '11', '10.0.0.300', '10.0.0.0/33', 'proxy.example', '10.0.0.1,,10.0.0.2'])
    it(`refuses TRUST_PROXY=${value} and names the variable`, () => {
      assert.throws(() => loadConfig({ TRUST_PROXY: value }), /TRUST_PROXY: must be the number of proxies/)
    })

  it('signs staff in with Waymark passwords only, at localhost, when no identity provider is set', () => {
    const config = loadConfig({ PORT: '8080' })
    assert.equal(config.oidc, null)
    assert.equal(config.localSignIn, true)
    assert.equal(config.publicUrl, 'http://localhost:8080')
  })

  it('takes an identity provider from OIDC_ISSUER, its client and the claim that holds the username', () => {
    const config = loadConfig({
      OIDC_ISSUER: 'https://sign-in.hmpps.service.justice.gov.uk/auth/issuer',
      OIDC_CLIENT_ID: 'waymark',
      OIDC_CLIENT_SECRET: 'secret',
      OIDC_PROVIDER_NAME: 'HMPPS Auth',
      PUBLIC_URL: 'https://waymark.example.gov.uk/',
      LOCAL_SIGN_IN: 'off',
    })
    assert.deepEqual(config.oidc, {
      issuer: 'https://sign-in.hmpps.service.justice.gov.uk/auth/issuer',
      clientId: 'waymark',
      clientSecret: 'secret',
      usernameClaim: 'preferred_username',
      providerName: 'HMPPS Auth',
    })
    assert.equal(config.publicUrl, 'https://waymark.example.gov.uk')
    assert.equal(config.localSignIn, false)
  })

  it('refuses an identity provider without its client, and passwords switched off with no provider', () => {
    assert.throws(() => loadConfig({ OIDC_ISSUER: 'https://idp.example' }), /OIDC_CLIENT_ID and OIDC_CLIENT_SECRET/)
    assert.throws(() => loadConfig({ LOCAL_SIGN_IN: 'off' }), /LOCAL_SIGN_IN=off leaves no way to sign in/)
    assert.throws(() => loadConfig({ LOCAL_SIGN_IN: 'maybe' }), /LOCAL_SIGN_IN: must be on or off/)
  })

  it('accepts only its own API tokens when no issuer is set', () => {
    assert.equal(loadConfig({}).apiTokenIssuer, null)
  })

  it('takes an external issuer of API tokens, its keys’ address and the audience its tokens must name', () => {
    assert.deepEqual(
      loadConfig({
        API_TOKEN_ISSUER: 'https://sign-in.hmpps.service.justice.gov.uk/auth/issuer',
        API_TOKEN_JWKS_URL: 'https://sign-in.hmpps.service.justice.gov.uk/auth/.well-known/jwks.json',
        API_TOKEN_AUDIENCE: 'waymark',
      }).apiTokenIssuer,
      {
        issuer: 'https://sign-in.hmpps.service.justice.gov.uk/auth/issuer',
        jwksUrl: 'https://sign-in.hmpps.service.justice.gov.uk/auth/.well-known/jwks.json',
        audience: 'waymark',
      },
    )
    assert.deepEqual(loadConfig({ API_TOKEN_ISSUER: 'http://127.0.0.1:9090' }).apiTokenIssuer, {
      issuer: 'http://127.0.0.1:9090',
      jwksUrl: null,
      audience: null,
    })
  })

  for (const [name, value] of [
    ['API_TOKEN_ISSUER', 'sign-in.hmpps.service.justice.gov.uk'],
    ['API_TOKEN_ISSUER', 'http://sign-in.hmpps.service.justice.gov.uk/auth/issuer'],
    ['API_TOKEN_JWKS_URL', 'http://auth.example/jwks'],
  ] as const)
    it(`refuses ${name}=${value}: the keys must come over HTTPS from a server`, () => {
      assert.throws(
        () => loadConfig({ API_TOKEN_ISSUER: 'https://auth.example', [name]: value }),
        new RegExp(`${name}: must be`),
      )
    })

  it('refuses a keys address or audience without an issuer, and an issuer that is Waymark itself', () => {
    assert.throws(() => loadConfig({ API_TOKEN_AUDIENCE: 'waymark' }), /set API_TOKEN_ISSUER too/)
    assert.throws(() => loadConfig({ API_TOKEN_JWKS_URL: 'https://auth.example/jwks' }), /set API_TOKEN_ISSUER too/)
    assert.throws(
      () => loadConfig({ PUBLIC_URL: 'https://waymark.example', API_TOKEN_ISSUER: 'https://waymark.example/' }),
      /API_TOKEN_ISSUER is Waymark’s own address/,
    )
  })
})
