import { z } from 'zod'

// A lone UTF-16 surrogate cannot be stored as UTF-8 (SQLite, InfluxDB tags, JSON to the
// browser): it would come back as U+FFFD, a name other than the one given.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** A name people give (business, device, workshop): trimmed, 1–`max` characters, well-formed Unicode. */
export const displayName = (max = 200) => z.string().trim().min(1).max(max)
  .refine((text) => !LONE_SURROGATE.test(text), 'must be well-formed Unicode text (a lone surrogate cannot be stored)')
