import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The machine has 2 cores and integration suites start real servers (hub, influxd, chromium).
    maxWorkers: 2,
    fileParallelism: true
  }
})
