/**
 * Change freezes: promotion into the environment is refused inside a window
 * (docs/design/release-model.md §Promotion rules). Pinned to the environment. Times are RFC 3339
 * with a zone so a window means the same instant on every machine.
 */
import { z } from 'zod';
import { timestamp } from '../fields.js';

export const freeze = z
  .strictObject({
    start: timestamp,
    end: timestamp,
    reason: z.string().min(1, { error: 'a freeze needs a reason' }),
  })
  .superRefine((f, ctx) => {
    if (Date.parse(f.end) <= Date.parse(f.start)) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: `end must be after start (${f.start})` });
    }
  });

export const freezesSection = {
  /** Windows in which promotion is refused. Default: none. */
  freezes: z.array(freeze).default([]),
};
