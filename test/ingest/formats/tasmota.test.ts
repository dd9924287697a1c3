import { describe, expect, it } from 'vitest'
import { at, deviceOf, publish, readings } from './helpers.ts'

// Payloads from the Tasmota documentation and from devices quoted in its issue tracker:
// https://tasmota.github.io/docs/MQTT/ , https://tasmota.github.io/docs/DS18x20/ ,
// https://tasmota.github.io/docs/BME280/ , https://tasmota.github.io/docs/Power-Monitoring-Calibration/
const device = deviceOf('tasmota', 'tasmota_5F1A3C')

describe('tasmota tele/<topic>/SENSOR', () => {
  it('reads one DS18B20 and ignores Tasmota\'s zone-less Time', () => {
    expect(publish(device, 'tele/tasmota_5F1A3C/SENSOR', '{"Time":"2019-01-01T00:00:00","DS18B20":{"Temperature":49.7},"TempUnit":"C"}'))
      .toEqual(readings(at('temperature', 49.7)))
  })

  it('reads an AM2301 (docs/AM2301), and not the dew point newer firmware adds', () => {
    const payload = '{\n  "Time": "2019-01-01T00:00:00",\n  "AM2301": {\n    "Temperature": 24.6,\n    "Humidity": 58.2\n  },\n  "TempUnit": "C"\n}'
    expect(publish(device, 'tele/tasmota_5F1A3C/SENSOR', payload)).toEqual(readings(at('temperature', 24.6), at('humidity', 58.2)))
    const withDewPoint = '{"Time":"2021-01-01T00:00:00","AM2301":{"Temperature":22.5,"Humidity":45.0,"DewPoint":10.1},"TempUnit":"C"}'
    expect(publish(device, 'tele/tasmota_5F1A3C/SENSOR', withDewPoint)).toEqual(readings(at('temperature', 22.5), at('humidity', 45)))
  })

  it('reads a BME280 in hPa (docs/BME280)', () => {
    const payload = '{"Time":"2019-11-03T19:34:28","BME280":{"Temperature":21.7,"Humidity":66.6,"Pressure":988.6},"PressureUnit":"hPa","TempUnit":"C"}'
    expect(publish(device, 'tele/tasmota_5F1A3C/SENSOR', payload))
      .toEqual(readings(at('temperature', 21.7), at('humidity', 66.6), at('pressure', 988.6)))
  })

  it('keeps several temperature sensors apart, each suffixed with its key; a lone humidity stays plain', () => {
    const payload = '{"Time":"2020-02-08T17:17:11","DS18B20-1":{"Id":"031197790115","Temperature":19.6},' +
      '"DS18B20-2":{"Id":"031497793BB5","Temperature":19.5},"SI7021":{"Temperature":20.6,"Humidity":31.9},"TempUnit":"C"}'
    expect(publish(device, 'tele/tasmota_5F1A3C/SENSOR', payload)).toEqual(readings(
      at('temperature__ds18b20_1', 19.6),
      at('temperature__ds18b20_2', 19.5),
      at('temperature__si7021', 20.6),
      at('humidity', 31.9)
    ))
  })

  it('skips the Global copy of the first sensor', () => {
    const payload = '{"DS18B20":{"Id":"01144A0CB2AA","Temperature":24.88},"HTU21":{"Temperature":25.32,"Humidity":49.2,"DewPoint":13.88},' +
      '"Global":{"Temperature":24.88,"Humidity":49.2,"DewPoint":13.47},"TempUnit":"C"}'
    expect(publish(device, 'tele/tasmota_5F1A3C/SENSOR', payload)).toEqual(readings(
      at('temperature__ds18b20', 24.88), at('temperature__htu21', 25.32), at('humidity', 49.2)
    ))
  })

  it('converts TempUnit F to °C and PressureUnit mmHg to hPa (BME280)', () => {
    const payload = '{"Time":"2024-02-25T11:27:00","BME280":{"Temperature":77.0,"Pressure":760.0,"Humidity":65.5},"TempUnit":"F","PressureUnit":"mmHg"}'
    expect(publish(device, 'tele/tasmota_5F1A3C/SENSOR', payload))
      .toEqual(readings(at('temperature', 25), at('pressure', 1013.2472), at('humidity', 65.5)))
  })

  it('converts PressureUnit inHg to hPa (BMP280)', () => {
    const payload = '{"Time":"2020-01-26T01:24:16","BMP280":{"Temperature":23.7,"Pressure":29.92},"PressureUnit":"inHg","TempUnit":"C"}'
    expect(publish(device, 'tele/tasmota_5F1A3C/SENSOR', payload)).toEqual(readings(at('temperature', 23.7), at('pressure', 1013.207888)))
  })

  it('reads ENERGY: Total kWh counter, Power, Voltage, Current; not Today or Yesterday', () => {
    const payload = '{"Time":"2023-05-19T20:52:56","ENERGY":{"TotalStartTime":"2022-03-20T15:20:48","Total":514.153,"Yesterday":1.495,' +
      '"Today":0.537,"Period":0,"Power":56,"ApparentPower":92,"ReactivePower":73,"Factor":0.61,"Voltage":234,"Current":0.392}}'
    expect(publish(device, 'tele/tasmota_5F1A3C/SENSOR', payload))
      .toEqual(readings(at('energy', 514.153), at('power', 56), at('voltage', 234), at('current', 0.392)))
  })

  it('splits multi-channel ENERGY arrays and reads the metering chip as device_temperature', () => {
    const payload = '{"Time":"2026-09-18T11:19:21","ENERGY":{"TotalStartTime":"2026-09-16T00:00:00","Total":[2.813,0.254],"Yesterday":[1.530,0.125],' +
      '"Today":[0.772,0.059],"Power":[52,5],"ApparentPower":[66,10],"ReactivePower":[40,9],"Factor":[0.79,0.50],"Voltage":235,' +
      '"Current":[0.278,0.044],"BL09XX":{"Temperature":46.5}}}'
    expect(publish(device, 'tele/tasmota_5F1A3C/SENSOR', payload)).toEqual(readings(
      at('energy__energy_1', 2.813), at('energy__energy_2', 0.254),
      at('power__energy_1', 52), at('power__energy_2', 5),
      at('voltage', 235),
      at('current__energy_1', 0.278), at('current__energy_2', 0.044),
      at('device_temperature', 46.5)
    ))
  })

  it('reads the ESP32 die temperature as device_temperature, next to a real temperature', () => {
    const payload = '{"Time":"2024-01-01T00:00:00","ESP32":{"Temperature":52.2},"SHT3X":{"Temperature":21.4,"Humidity":48.1},"TempUnit":"C"}'
    expect(publish(device, 'tele/tasmota_5F1A3C/SENSOR', payload))
      .toEqual(readings(at('device_temperature', 52.2), at('temperature', 21.4), at('humidity', 48.1)))
  })

  it('passes over a message with no sensor Tasmota readings apply to (switches, RFID)', () => {
    expect(publish(device, 'tele/tasmota_5F1A3C/SENSOR', '{"Time":"2020-08-30T10:15:00","Switch1":"OFF","PN532":{"UID":"94D8FC5F"}}'))
      .toEqual(readings())
  })

  it('refuses invalid JSON, a payload that is not an object, and an unknown TempUnit', () => {
    expect(publish(device, 'tele/tasmota_5F1A3C/SENSOR', '{"DS18B20":{"Temperature":21.9}')).toEqual({
      accepted: [], refusals: [{ code: 'INVALID_JSON', message: expect.stringMatching(/^payload is not valid JSON: /) }]
    })
    expect(publish(device, 'tele/tasmota_5F1A3C/SENSOR', '[21.9]'))
      .toEqual({ accepted: [], refusals: [{ code: 'UNKNOWN_SHAPE', message: 'payload is not a JSON object' }] })
    expect(publish(device, 'tele/tasmota_5F1A3C/SENSOR', '{"DS18B20":{"Temperature":295.1},"TempUnit":"K"}'))
      .toEqual({ accepted: [], refusals: [{ code: 'UNKNOWN_SHAPE', message: 'TempUnit "K" is neither C nor F' }] })
  })

  it('leaves a value that is not a number to validation', () => {
    expect(publish(device, 'tele/tasmota_5F1A3C/SENSOR', '{"DS18B20":{"Temperature":"n/a"}}'))
      .toEqual({ accepted: [], refusals: [{ code: 'NOT_A_NUMBER', message: 'temperature: "n/a" is not a number' }] })
  })

  it('accepts the %topic%/%prefix%/ FullTopic order too', () => {
    expect(publish(device, 'tasmota_5F1A3C/tele/SENSOR', '{"DS18B20":{"Temperature":21.9},"TempUnit":"C"}')).toEqual(readings(at('temperature', 21.9)))
  })
})

describe('tasmota STATE, LWT and stat/', () => {
  it('reads Wifi.Signal (dBm) as rssi, not Wifi.RSSI (a quality %)', () => {
    const payload = '{"Time":"2020-08-07T19:49:49","Uptime":"0T00:50:14","UptimeSec":3014,"Heap":26,"SleepMode":"Dynamic","Sleep":50,"LoadAvg":19,' +
      '"MqttCount":1,"POWER":"OFF","Wifi":{"AP":1,"SSId":"shop","BSSId":"24:F5:A2:B8:AF:FB","Channel":7,"RSSI":100,"Signal":-34,"LinkCount":1,"Downtime":"0T00:00:08"}}'
    expect(publish(device, 'tele/tasmota_5F1A3C/STATE', payload)).toEqual(readings(at('rssi', -34)))
  })

  it('gives nothing for a STATE from firmware without Wifi.Signal', () => {
    const payload = '{"Time":"2020-08-30T10:15:00","Uptime":"48T19:42:51","Heap":14,"POWER1":"OFF","Wifi":{"AP":1,"SSId":"x","RSSI":42,"LinkCount":10}}'
    expect(publish(device, 'tele/tasmota_5F1A3C/STATE', payload)).toEqual(readings())
  })

  it('turns the LWT into the device status', () => {
    expect(publish(device, 'tele/tasmota_5F1A3C/LWT', 'Online')).toEqual({ accepted: [], refusals: [], status: 'online' })
    expect(publish(device, 'tele/tasmota_5F1A3C/LWT', 'Offline')).toEqual({ accepted: [], refusals: [], status: 'offline' })
  })

  it('reads sensors from a Status 10 reply and accepts other replies without readings', () => {
    const payload = '{"StatusSNS":{"Time":"2020-01-26T01:24:16","BMP280":{"Temperature":23.71,"Pressure":1017.6},"PressureUnit":"hPa","TempUnit":"C"}}'
    expect(publish(device, 'stat/tasmota_5F1A3C/STATUS10', payload)).toEqual(readings(at('temperature', 23.71), at('pressure', 1017.6)))
    expect(publish(device, 'stat/tasmota_5F1A3C/RESULT', '{"POWER":"ON"}')).toEqual(readings())
    expect(publish(device, 'tele/tasmota_5F1A3C/INFO1', '{"Info1":{"Module":"Generic","Version":"13.1.0"}}')).toEqual(readings())
  })

  it('routes an unknown tele leaf; refuses another device\'s topic and a command topic', () => {
    expect(publish(device, 'tele/tasmota_5F1A3C/FOO', '{}')).toEqual(readings())
    expect(publish(device, 'tele/tasmota_OTHER/SENSOR', '{"DS18B20":{"Temperature":21}}'))
      .toEqual({ accepted: [], refusals: [{ code: 'TOPIC_NOT_ALLOWED', message: `device ${device.id} may not publish to tele/tasmota_OTHER/SENSOR` }] })
    expect(publish(device, 'cmnd/tasmota_5F1A3C/POWER', 'ON'))
      .toEqual({ accepted: [], refusals: [{ code: 'TOPIC_NOT_ALLOWED', message: `device ${device.id} may not publish to cmnd/tasmota_5F1A3C/POWER` }] })
  })
})
