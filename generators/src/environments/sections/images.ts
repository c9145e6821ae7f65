/**
 * Image policy of the environment: where images come from and whether a digest is mandatory. A tag
 * can be moved to other content after review; a digest cannot
 * (docs/design/environments.md §Images by digest).
 */
import { z } from 'zod';

export const imagesSection = {
  images: z
    .strictObject({
      /** Registry and namespace every app image must come from. Default `ghcr.io/payday`. */
      registry: z.string().default('ghcr.io/payday'),
      /** Refuse images that are not pinned by `@sha256:` digest. Default `true`. */
      requireDigest: z.boolean().default(true),
    })
    .prefault({}),
};
