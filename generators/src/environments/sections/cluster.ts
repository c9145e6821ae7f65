/**
 * Where the environment runs: the Argo CD destination cluster. Pinned to the environment.
 */
import { z } from 'zod';

export const clusterSection = {
  cluster: z
    .strictObject({
      /** Argo CD destination server. Default `https://kubernetes.default.svc` (the Argo CD cluster). */
      server: z
        .url({ protocol: /^https$/, error: 'must be an https:// URL' })
        .default('https://kubernetes.default.svc'),
    })
    .prefault({}),
};
