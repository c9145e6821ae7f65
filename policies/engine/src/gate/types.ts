import type { Action, Status } from '../evaluate/types.js';
import type { KubeObject } from '../kube/objects.js';

/** One rendered object and the file it lives in (relative to the repository root). */
export interface RenderedObject {
  path: string;
  object: KubeObject;
}

/** One environment's rendered objects: `gitops/<name>/**`. */
export interface GateEnvironment {
  name: string;
  objects: RenderedObject[];
}

/**
 * How a result counts in the gate: `deny` (a Deny failure: exit 1), `error` (fail closed: exit 2),
 * `audit` / `warn` (reported only), `waived` (a valid exception applied), `ignored` (an error
 * under failurePolicy Ignore), `exception` (a PolicyException that is itself invalid: exit 1).
 */
export type Severity = 'deny' | 'error' | 'audit' | 'warn' | 'waived' | 'ignored' | 'exception';

export interface GateFinding {
  environment: string;
  severity: Severity;
  policy: string;
  rule: string;
  resource: string;
  file: string;
  status: Status | 'invalid';
  actions: Action[];
  message: string;
  path?: string;
  expression?: string;
  exception?: string;
}

export interface EnvironmentReport {
  name: string;
  objects: number;
  evaluations: number;
  passed: number;
  findings: GateFinding[];
}

export interface GateReport {
  environments: EnvironmentReport[];
  /** Notes about exceptions (expired ones, …), printed under the table. */
  notes: string[];
  policies: number;
  denials: number;
  errors: number;
  /** 0 pass, 1 a Deny failure or an invalid exception, 2 an evaluation/config error (fail closed). */
  exitCode: 0 | 1 | 2;
  passed: boolean;
}
