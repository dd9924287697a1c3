import { readFileSync } from 'node:fs'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isApiRoute, requireDocumentedRoutes } from '../../server/http/api-docs.ts'
import { type Provisioned, type TestHub, provision, startTestHub } from '../helpers/hub.ts'
import { documentedOperations, keysIn, type OpenApiDocument, openApiDocument, openApiPath, refsIn } from './openapi-document.ts'

// GET /api/openapi.json is made from the zod schemas the routes declare (server/api-schemas/,
// server/http/api-docs.ts): it must be a well-formed OpenAPI 3.1 document, list every API
// route the hub registers, agree with docs/api.md, and tell an anonymous reader no secret.

describe('the OpenAPI document', () => {
  let t: TestHub
  let app: FastifyInstance | undefined
  let alice: Provisioned
  let document: OpenApiDocument
  let text: string

  beforeAll(async () => {
    // A route module that registers nothing: it only hands the test a scope of the real app.
    t = await startTestHub({}, { routes: [async (scope) => { app = scope }] })
    alice = await provision(t, 'alice')
    const response = await fetch(`${t.hub.httpUrl}/api/openapi.json`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    text = await response.text()
    document = openApiDocument.parse(JSON.parse(text))
  })
  afterAll(async () => { await t.stop() })

  it('is an OpenAPI 3.1 document: operations with tags, summaries and responses, declared path parameters, resolvable $refs', () => {
    const declaredTags = new Set(document.tags.map((tag) => tag.name))
    const schemes = new Set(Object.keys(document.components.securitySchemes))
    expect([...schemes].sort()).toEqual(['bearerToken', 'sessionCookie'])
    for (const [path, item] of Object.entries(document.paths)) {
      const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort()
      for (const [method, op] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`
        expect(op.tags.filter((tag) => !declaredTags.has(tag)), where).toEqual([])
        // [OpenAPI 3.1, 4.8.12.1] every templated segment is a required path parameter, and no other.
        const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path')
        expect(pathParams.map((p) => p.name).sort(), where).toEqual(inPath)
        expect(pathParams.every((p) => p.required === true), where).toBe(true)
        expect(Object.keys(op.responses).some((status) => /^2\d\d$/.test(status)), where).toBe(true)
        expect(op.responses['4XX']?.description, where).toBeTruthy()
        for (const requirement of op.security ?? []) {
          expect(Object.keys(requirement).filter((name) => !schemes.has(name)), where).toEqual([])
        }
      }
    }
    const schemas = document.components.schemas ?? {}
    const unresolved = refsIn(document).filter((ref) => !(ref.startsWith('#/components/schemas/') && ref.slice('#/components/schemas/'.length) in schemas))
    expect(unresolved).toEqual([])
  })

  it('lists every API route the hub registers, and nothing else', () => {
    expect(app).toBeDefined()
    const registered = app!.apiRoutes.map((route) => `${route.method} ${openApiPath(route.url)}`).sort()
    // The hub's surface as of this test: a new route shows up here and in the document together.
    expect(registered.length).toBeGreaterThanOrEqual(30)
    expect(documentedOperations(document)).toEqual(registered)
  })

  it('says who may call each operation: the admin and member APIs need a token or the session cookie, the join page and health do not', () => {
    const security = (method: string, path: string) => document.paths[path]?.[method as 'get']?.security
    const signedIn = [{ bearerToken: [] }, { sessionCookie: [] }]
    expect(security('post', '/api/admin/members')).toEqual(signedIn)
    expect(security('get', '/api/me/readings')).toEqual(signedIn)
    expect(security('post', '/api/join')).toEqual([])
    expect(security('get', '/api/health')).toEqual([])
    expect(security('get', '/api/compare')).toEqual([...signedIn, {}])
  })

  it('declares the error shape and the optional release figures', () => {
    const schemas = document.components.schemas as Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON Schema read by path
    expect(schemas.Error).toMatchObject({
      type: 'object',
      required: ['error'],
      properties: { error: { required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } } }
    })
    const shown = schemas.CompareBucket.anyOf.find((variant: { required: string[] }) => variant.required.includes('membersBand'))
    // Quantiles only from enough members (docs/privacy.md): never required.
    expect(shown.required).toEqual(['time', 'members', 'membersBand', 'mean', 'meanInterval'])
    expect(Object.keys(shown.properties)).toEqual(expect.arrayContaining(['p10', 'p25', 'p50', 'p75', 'p90']))
  })

  it('tells an anonymous visitor no secret: no token, key or hub secret, no examples, the same document for everyone', async () => {
    const secrets = {
      adminToken: t.hub.adminToken,
      accessKey: alice.member.accessKey,
      deviceToken: alice.device.token,
      sessionSecret: t.hub.registry.setting('session_secret'),
      privacySecret: t.hub.registry.setting('privacy_secret')
    }
    for (const [name, secret] of Object.entries(secrets)) {
      expect(secret, name).toBeTruthy()
      expect(text.includes(secret!), name).toBe(false)
    }
    // Shapes only: an example value would be a credential someone pastes somewhere.
    expect(keysIn(document).filter((key) => key === 'example' || key === 'examples')).toEqual([])
    // Swagger UI's copy of it, and the document as the organizer sees it, are the same bytes.
    const viaUi = await fetch(`${t.hub.httpUrl}/api/docs/json`)
    expect(viaUi.status).toBe(200)
    expect(JSON.parse(await viaUi.text())).toEqual(JSON.parse(text))
    const asAdmin = await fetch(`${t.hub.httpUrl}/api/openapi.json`, { headers: { authorization: `Bearer ${t.hub.adminToken}` } })
    expect(await asAdmin.text()).toBe(text)
  })

  it('serves Swagger UI under the hub\'s CSP, inline styles allowed on its pages only and scripts from the hub only', async () => {
    const docs = await fetch(`${t.hub.httpUrl}/api/docs`)
    expect(docs.status).toBe(200)
    const csp = docs.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("script-src 'self';")
    expect(csp).toContain("style-src 'self' 'unsafe-inline';")
    const dashboard = await fetch(`${t.hub.httpUrl}/`)
    expect(dashboard.headers.get('content-security-policy')).toContain("style-src 'self';")
  })

  it('agrees with docs/api.md: every route documented there is in the document, and every operation is documented there', () => {
    const prose = readFileSync('docs/api.md', 'utf8')
    const inProse = [...new Set([...prose.matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/[^`\s?[]*)/g)]
      .map(([, method, path]) => ({ method: method!, path: path! }))
      .filter(({ path }) => isApiRoute(path))
      .map(({ method, path }) => `${method} ${openApiPath(path)}`))].sort()
    const documented = documentedOperations(document)
    expect({ onlyInDocsApiMd: inProse.filter((op) => !documented.includes(op)), onlyInOpenApi: documented.filter((op) => !inProse.includes(op)) })
      .toEqual({ onlyInDocsApiMd: [], onlyInOpenApi: [] })
  })
})

describe('schema validation keeps the hub\'s errors', () => {
  let t: TestHub
  let alice: Provisioned

  beforeAll(async () => {
    t = await startTestHub()
    alice = await provision(t, 'alice')
  })
  afterAll(async () => { await t.stop() })

  it('a bad query is 400 VALIDATION_FAILED naming every bad field and why', async () => {
    const bad = await t.api('/api/me/readings?limit=0&from=yesterday', { token: alice.member.accessKey })
    expect(bad).toEqual({
      status: 400,
      body: {
        error: {
          code: 'VALIDATION_FAILED',
          message: 'from: epoch ms, ISO 8601, now, or relative like -24h; limit: Too small: expected number to be >=1',
          details: {
            fields: [
              { field: 'from', message: 'epoch ms, ISO 8601, now, or relative like -24h' },
              { field: 'limit', message: 'Too small: expected number to be >=1' }
            ]
          }
        }
      }
    })
    const grid = await t.api('/api/compare?metric=power&bucket=5m')
    expect(grid).toEqual({
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED', message: 'bucket: bucket must be 1h, 1d or 1w', details: { fields: [{ field: 'bucket', message: 'bucket must be 1h, 1d or 1w' }] } } }
    })
  })

  it('a request without a body names the missing fields, as before the schemas moved onto the routes', async () => {
    const response = await fetch(`${t.hub.httpUrl}/api/join`, { method: 'POST' })
    expect(response.status).toBe(400)
    expect((await response.json()).error).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'code: Invalid input: expected string, received undefined; name: Invalid input: expected string, received undefined',
      details: {
        fields: [
          { field: 'code', message: 'Invalid input: expected string, received undefined' },
          { field: 'name', message: 'Invalid input: expected string, received undefined' }
        ]
      }
    })
  })

  it('a stranger gets 401 before any validation: the admin and member APIs tell it nothing about their fields', async () => {
    const unauthorized = (message: string) => ({ status: 401, body: { error: { code: 'UNAUTHORIZED', message } } })
    expect(await t.api('/api/admin/members', { body: { sector: 'nope' } })).toEqual(unauthorized('the admin token is required'))
    expect(await t.api('/api/admin/workshops', { body: { expiresAt: 'never' } })).toEqual(unauthorized('the admin token is required'))
    expect(await t.api('/api/me/series?bucket=forever')).toEqual(unauthorized('a member access key is required'))
    expect(await t.api('/api/me/devices', { body: { format: 'nope' } })).toEqual(unauthorized('a member access key is required'))
    // A member is not the organizer: 403, still before validation.
    expect(await t.api('/api/admin/devices', { token: alice.member.accessKey, body: {} }))
      .toEqual({ status: 403, body: { error: { code: 'FORBIDDEN', message: 'the admin token is required' } } })
  })

  it('an unknown route or file is 404 NOT_FOUND in the same error shape', async () => {
    const expected = { status: 404, body: { error: { code: 'NOT_FOUND', message: 'no such route or file' } } }
    expect(await t.api('/api/no-such-route')).toEqual(expected)
    expect(await t.api('/api/docs/static/../../../package.json')).toEqual(expected)
    expect(await t.api('/no-such-file.js')).toEqual(expected)
  })

  it('an answer carries only the fields of its schema', async () => {
    const me = await t.api('/api/me', { token: alice.member.accessKey })
    expect(me.status).toBe(200)
    expect(Object.keys(me.body)).toEqual(['member', 'devices', 'mqtt'])
    expect(Object.keys(me.body.member)).toEqual(['id', 'name', 'sector', 'sharing', 'floorArea', 'seats', 'rooms', 'workshop', 'createdAt'])
    expect(Object.keys(me.body.devices[0])).toEqual(['id', 'member', 'name', 'format', 'topic', 'createdAt', 'lastSeen', 'online', 'battery'])
    expect(me.body.mqtt).toEqual({ host: '127.0.0.1', port: t.hub.mqttPort, wsUrl: t.hub.wsUrl })
  })
})

describe('an API route left out of the document', () => {
  it('cannot be registered: the hub would refuse to start rather than serve an undocumented route', async () => {
    const app = Fastify()
    requireDocumentedRoutes(app)
    const handler = async () => ({})
    app.get('/api/documented', { schema: { tags: ['operations'] } }, handler)
    app.get('/api/docs/static/*', handler)
    app.get('/favicon.svg', handler)
    expect(() => app.get('/api/undocumented', handler))
      .toThrow('GET /api/undocumented: an API route needs tags and schemas to be in /api/openapi.json (server/http/api-docs.ts)')
    expect(() => app.post('/metrics', { schema: {} }, handler)).toThrow(/^POST \/metrics: /)
    expect(app.apiRoutes).toEqual([{ method: 'GET', url: '/api/documented' }])
    await app.close()
  })
})
