import type Database from 'better-sqlite3'
import { TsudoiError } from '../errors.ts'
import type { DeviceFormat } from '../domain/device-formats.ts'
import { type TopicHolder, defaultTopic, findClash, firmwareSetting, topicProblem, treeText } from '../domain/topic-trees.ts'

export interface TopicRequest { id: string, member: string, format: DeviceFormat, topic?: string }

/**
 * The topic a device registers with — the one it asked for, or its default — once it is
 * known to be well-formed, outside reserved roots and clear of every other device's trees
 * (server/domain/topic-trees.ts). Run it inside the transaction that writes the device,
 * so that two registrations cannot both claim overlapping trees.
 * Throws VALIDATION_FAILED (the topic can never be used) or CONFLICT (another device holds it).
 */
export function claimDeviceTopic (db: Database.Database, request: TopicRequest): string {
  const devices = db.prepare(`SELECT id, member, format, topic FROM device WHERE format NOT IN ('json', 'plain')`).all() as TopicHolder[]
  const topic = request.topic ?? defaultTopic(request, devices)
  const fix = request.topic === undefined
    ? `register the device with a topic of its own and set ${firmwareSetting(request.format)} to it`
    : `set ${firmwareSetting(request.format)} to a name of its own`
  const problem = topicProblem({ member: request.member, format: request.format, topic })
  if (problem !== undefined) {
    const message = `${request.topic === undefined ? 'the default ' : ''}${problem}; ${fix}`
    throw new TsudoiError('VALIDATION_FAILED', `topic: ${message}`, { fields: [{ field: 'topic', message }] })
  }
  const clash = findClash({ ...request, topic }, devices)
  if (clash === undefined) return topic
  const overlap = treeText(clash.tree)
  // Another member's device is never named: not its id, its member, nor its topic.
  const holder = clash.holder.member === request.member ? `device ${clash.holder.id}` : 'another member\'s device'
  throw new TsudoiError('CONFLICT', `topic ${topic} is already used by ${holder} (${overlap} overlaps its topics); ${fix}`)
}
