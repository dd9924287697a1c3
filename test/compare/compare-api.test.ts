import { compareApiSuite } from './compare-api.suite.ts'

compareApiSuite('embedded store', () => ({}))
