import { describe, expect, it } from 'vitest'
import { type TopicHolder, defaultTopic, findClash, topicProblem, treesOf, treesOverlap } from '../../server/domain/topic-trees.ts'

// The pure topic-tree model by example (the properties are in topic-trees.property.test.ts).

const plug: TopicHolder = { id: 'victim-plug', member: 'victim', format: 'tasmota', topic: 'plug1' }

describe('treesOf', () => {
  it('gives Tasmota its prefixes in both FullTopic orders, auto those and its whole topic, the others their topic', () => {
    expect(treesOf('tasmota', 'plug1')).toEqual([['tele', 'plug1'], ['plug1', 'tele'], ['stat', 'plug1'], ['plug1', 'stat'], ['cmnd', 'plug1'], ['plug1', 'cmnd']])
    expect(treesOf('auto', 'a/b')).toEqual([['tele', 'a', 'b'], ['a', 'b', 'tele'], ['stat', 'a', 'b'], ['a', 'b', 'stat'], ['cmnd', 'a', 'b'], ['a', 'b', 'cmnd'], ['a', 'b']])
    for (const format of ['esphome', 'shelly', 'zigbee2mqtt', 'homeassistant'] as const) expect(treesOf(format, 'farm/greenhouse')).toEqual([['farm', 'greenhouse']])
    expect(treesOf('json', 'tele')).toEqual([])
    expect(treesOf('plain', 'tele')).toEqual([])
  })

  it('compares trees level by level', () => {
    expect(treesOverlap(['tele', 'plug1'], ['tele', 'plug1', 'x'])).toBe(true)
    expect(treesOverlap(['tele'], ['tele', 'plug1'])).toBe(true)
    expect(treesOverlap(['tele', 'plug1'], ['tele', 'plug10'])).toBe(false)
  })
})

describe('topicProblem', () => {
  const problem = (format: TopicHolder['format'], topic: string, member = 'mallory') => topicProblem({ member, format, topic })

  it('refuses reserved roots, whole shared roots and another member\'s Zigbee2MQTT root', () => {
    expect(problem('homeassistant', 'tele')).toBe('topic "tele" is a root every device of that firmware shares')
    expect(problem('tasmota', 'zigbee2mqtt')).toBe('topic "zigbee2mqtt" is a root every device of that firmware shares')
    expect(problem('esphome', 'tsudoi/victim/d')).toBe('topic "tsudoi/victim/d" would reach into tsudoi/, which is reserved')
    expect(problem('tasmota', 'homeassistant')).toBe('topic "homeassistant" would reach into homeassistant/, which is reserved')
    expect(problem('shelly', '$SYS/x')).toBe('topic "$SYS/x" would reach into $SYS/, which is reserved')
    expect(problem('zigbee2mqtt', 'zigbee2mqtt_victim')).toBe('topic "zigbee2mqtt_victim" would reach into zigbee2mqtt_…, which is kept for each member\'s own bridges (zigbee2mqtt_<member>)')
    expect(problem('zigbee2mqtt', 'zigbee2mqtt_victim_2', 'victim')).toBeUndefined()
    expect(problem('zigbee2mqtt', 'zigbee2mqtt/shop')).toBeUndefined()
    expect(problem('homeassistant', 'tele/plug2')).toBeUndefined()
  })

  it('refuses malformed topics for every format, native ones included', () => {
    expect(problem('esphome', '')).toBe('topic "" is empty')
    expect(problem('json', 'a//b')).toBe('topic "a//b" has an empty level (//)')
    expect(problem('esphome', 'a/')).toBe('topic "a/" ends with /')
    expect(problem('esphome', '/a')).toBe('topic "/a" starts with /')
    expect(problem('esphome', 'a\u0000b')).toBe('topic "a\\u0000b" holds a control character')
    expect(problem('esphome', 'a\u0085b')).toBe('topic "a\u0085b" holds a control character')
    expect(problem('esphome', 'a\ud800b')).toBe('topic "a\\ud800b" is not valid UTF-8')
    expect(problem('esphome', 'a\uffffb')).toBe('topic "a\uffffb" holds a Unicode noncharacter')
    expect(problem('esphome', 'a\ufdd0b')).toBe('topic "a\ufdd0b" holds a Unicode noncharacter')
    expect(problem('esphome', 'a\u{10ffff}b')).toBe('topic "a\u{10ffff}b" holds a Unicode noncharacter')
    expect(problem('esphome', 'a\u{1f321}b')).toBeUndefined()
    expect(problem('esphome', 'a b')).toBe('topic "a b" holds a space or a wildcard (+, #)')
    expect(problem('esphome', 'tele/#')).toBe('topic "tele/#" holds a space or a wildcard (+, #)')
    expect(problem('esphome', 'x'.repeat(129))).toBe(`topic "${'x'.repeat(129)}" is longer than 128 characters`)
    expect(problem('esphome', '店/温室')).toBeUndefined()
    expect(problem('json', 'tele')).toBeUndefined() // a native device's topic names no MQTT topic
  })
})

describe('findClash', () => {
  it('finds another device whose tree contains, or lies inside, one of the claim\'s, and names the claim\'s own tree', () => {
    expect(findClash({ member: 'mallory', format: 'homeassistant', topic: 'cmnd/plug1' }, [plug])).toEqual({ holder: plug, tree: ['cmnd', 'plug1'] })
    expect(findClash({ member: 'mallory', format: 'homeassistant', topic: 'cmnd' }, [plug])).toEqual({ holder: plug, tree: ['cmnd'] })
    expect(findClash({ member: 'mallory', format: 'esphome', topic: 'plug1' }, [plug])).toEqual({ holder: plug, tree: ['plug1'] })
    expect(findClash({ member: 'mallory', format: 'tasmota', topic: 'plug1/x' }, [plug])).toEqual({ holder: plug, tree: ['tele', 'plug1', 'x'] })
    expect(findClash({ member: 'mallory', format: 'tasmota', topic: 'plug10' }, [plug])).toBeUndefined()
    expect(findClash({ member: 'mallory', format: 'json', topic: 'plug1' }, [plug])).toBeUndefined()
  })

  it('leaves the device itself out (a changed device is compared with the others only)', () => {
    expect(findClash({ id: 'victim-plug', member: 'victim', format: 'auto', topic: 'plug1' }, [plug])).toBeUndefined()
  })
})

describe('defaultTopic', () => {
  it('is the device id, except for a Zigbee2MQTT bridge: its member\'s first free zigbee2mqtt_<member>[_<n>]', () => {
    expect(defaultTopic({ id: 'esp-1', member: 'shop', format: 'esphome' }, [])).toBe('esp-1')
    expect(defaultTopic({ id: 'z-1', member: 'shop', format: 'zigbee2mqtt' }, [])).toBe('zigbee2mqtt_shop')
    const first: TopicHolder = { id: 'z-1', member: 'shop', format: 'zigbee2mqtt', topic: 'zigbee2mqtt_shop' }
    const third: TopicHolder = { id: 'z-3', member: 'shop', format: 'homeassistant', topic: 'zigbee2mqtt_shop_3/x' }
    expect(defaultTopic({ id: 'z-2', member: 'shop', format: 'zigbee2mqtt' }, [first, third])).toBe('zigbee2mqtt_shop_2')
    expect(defaultTopic({ id: 'z-4', member: 'shop', format: 'zigbee2mqtt' }, [first, { ...first, id: 'z-2', topic: 'zigbee2mqtt_shop_2' }, third])).toBe('zigbee2mqtt_shop_4')
    // Another member's defaults never meet this one's: shop-2 is a member id, shop_2 is not.
    expect(defaultTopic({ id: 'z-5', member: 'shop-2', format: 'zigbee2mqtt' }, [first, third])).toBe('zigbee2mqtt_shop-2')
  })
})
