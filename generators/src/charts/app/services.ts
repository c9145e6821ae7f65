/**
 * The Services of an app that serves traffic. Canary: `<app>` (stable) and `<app>-canary`;
 * blue/green: `<app>` (active) and `<app>-preview`. Argo Rollouts adds the pod-template hash to
 * their selectors at run time, so git holds only the app's selector labels
 * (docs/design/argo.md §Fields the controllers own). The worker serves no traffic and has no
 * Service.
 */
import type { Construct } from 'constructs';
import { APPS, type AppName } from '../../catalogue/apps.js';
import { kplus, type Service } from '../kplus.js';
import { SYNC_WAVE, syncWave } from '../labels.js';

export interface ServiceNames {
  stable: string;
  canary?: string;
  preview?: string;
}

export function serviceNames(
  app: AppName,
  strategy: 'canary' | 'blueGreen',
  preview: boolean,
  name: string = app,
): ServiceNames | undefined {
  if (!APPS[app].serves) return undefined;
  if (preview) return { stable: name };
  return strategy === 'canary'
    ? { stable: name, canary: `${name}-canary` }
    : { stable: name, preview: `${name}-preview` };
}

export function appServices(
  scope: Construct,
  app: AppName,
  names: ServiceNames,
  labels: Record<string, string>,
  selector: Record<string, string>,
): Service[] {
  return [names.stable, names.canary, names.preview]
    .filter((n): n is string => n !== undefined)
    .map((name) => {
      const svc = new kplus.Service(scope, `service-${name}`, {
        metadata: { name, labels, annotations: syncWave(SYNC_WAVE.services) },
        ports: [{ name: 'http', port: 80, targetPort: APPS[app].port, protocol: kplus.Protocol.TCP }],
      });
      for (const [k, v] of Object.entries(selector)) svc.selectLabel(k, v);
      return svc;
    });
}
