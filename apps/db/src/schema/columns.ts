import { customType, timestamp } from 'drizzle-orm/pg-core';
import { newId } from '../ids.js';

/**
 * A public id column (`pay_…`). Byte-wise "C" collation, so `ORDER BY id` is the same on every
 * server whatever its default locale: cursor pagination depends on that order.
 */
const idText = customType<{ data: string }>({
  dataType: () => 'text COLLATE "C"',
});

/** Primary key with a generated prefixed id (drizzle fills it on insert). */
export const publicId = (prefix: string) =>
  idText('id')
    .primaryKey()
    .$defaultFn(() => newId(prefix));

/** A column referencing a public id (same collation as the key it points to). */
export const idRef = (name: string) => idText(name);

export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
