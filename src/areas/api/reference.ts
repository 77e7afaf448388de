/**
 * The readable reference page of the API (`/api-docs`), worked out from the same OpenAPI document that
 * `/v3/api-docs` serves, so the two can never say different things.
 */
type Schema = {
  $ref?: string
  type?: string | string[]
  description?: string
  example?: unknown
  examples?: unknown[]
  properties?: Record<string, Schema>
  required?: string[]
  items?: Schema
  anyOf?: Schema[]
  enum?: unknown[]
}
type Parameter = { name: string; in: string; required?: boolean; description?: string; schema?: Schema }
type Operation = {
  summary?: string
  description?: string
  tags?: string[]
  parameters?: Parameter[]
  requestBody?: { content?: Record<string, { schema?: Schema }> }
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>
}
type Document = { paths?: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } }

export type ReferenceField = { name: string; type: string; description: string; example: string }
export type ReferenceOperation = {
  id: string
  method: string
  path: string
  tag: string
  summary: string
  description: string
  parameters: ReferenceField[]
  body: ReferenceField[]
  answer: ReferenceField[]
  statuses: { status: string; description: string }[]
}

export function apiReference(document: unknown): { operations: ReferenceOperation[] } {
  const { paths = {}, components = {} } = document as Document
  const resolve = (schema: Schema | undefined): Schema | undefined => {
    if (!schema?.$ref) return schema
    return components.schemas?.[schema.$ref.split('/').pop() ?? '']
  }
  const operations: ReferenceOperation[] = []
  for (const [path, methods] of Object.entries(paths))
    for (const [method, operation] of Object.entries(methods)) {
      const success = Object.entries(operation.responses ?? {}).find(([status]) => status.startsWith('2'))
      operations.push({
        id: `${method}-${path}`.replace(/[^a-zA-Z0-9]+/g, '-').replace(/-+$/, ''),
        method: method.toUpperCase(),
        path,
        tag: operation.tags?.[0] ?? '',
        summary: operation.summary ?? '',
        description: operation.description ?? '',
        parameters: (operation.parameters ?? []).map((parameter) => ({
          name: `${parameter.name} (${parameter.in}${parameter.required ? ', required' : ''})`,
          type: typeOf(parameter.schema),
          description: parameter.description ?? parameter.schema?.description ?? '',
          example: exampleOf(parameter.schema),
        })),
        body: fieldsOf(resolve(Object.values(operation.requestBody?.content ?? {})[0]?.schema), '', resolve, 0),
        answer: fieldsOf(resolve(Object.values(success?.[1].content ?? {})[0]?.schema), '', resolve, 0),
        statuses: Object.entries(operation.responses ?? {}).map(([status, answer]) => ({
          status,
          // What @fastify/swagger writes where a schema is shared says nothing a reader needs.
          description: answer.description === 'Default Response' ? '' : (answer.description ?? ''),
        })),
      })
    }
  return { operations: operations.sort((a, b) => a.tag.localeCompare(b.tag) || a.path.localeCompare(b.path)) }
}

/** Every field of an answer, those inside a list named `content[].field`, three levels down at most. */
function fieldsOf(
  schema: Schema | undefined,
  prefix: string,
  resolve: (schema: Schema | undefined) => Schema | undefined,
  depth: number,
): ReferenceField[] {
  if (!schema?.properties || depth > 2) return []
  return Object.entries(schema.properties).flatMap(([name, property]) => {
    const field = resolve(property) ?? property
    const items = field.type === 'array' ? resolve(field.items) : undefined
    const own: ReferenceField = {
      name: `${prefix}${name}`,
      type: typeOf(field),
      description: field.description ?? '',
      example: exampleOf(field),
    }
    const inner = items
      ? fieldsOf(items, `${prefix}${name}[].`, resolve, depth + 1)
      : fieldsOf(field, `${prefix}${name}.`, resolve, depth + 1)
    return [own, ...inner]
  })
}

function typeOf(schema: Schema | undefined): string {
  if (!schema) return ''
  if (schema.enum) return schema.enum.join(' | ')
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(' or ')
  return Array.isArray(schema.type) ? schema.type.join(' or ') : (schema.type ?? 'object')
}

function exampleOf(schema: Schema | undefined): string {
  const example = schema?.example ?? schema?.examples?.[0]
  return example === undefined ? '' : typeof example === 'string' ? example : JSON.stringify(example)
}
