/**
 * Rules across environment files: `promotesFrom` must name an existing environment and the
 * promotion graph must be acyclic (a release has to enter somewhere;
 * docs/design/release-model.md §Promotion rules).
 */
import { nearest } from './suggest.js';

export interface LineageProblem {
  env: string;
  message: string;
}

export function lineageProblems(upstreamOf: ReadonlyMap<string, string | undefined>): LineageProblem[] {
  const names = [...upstreamOf.keys()].sort();
  const problems: LineageProblem[] = [];
  for (const env of names) {
    const up = upstreamOf.get(env);
    if (up !== undefined && !upstreamOf.has(up)) {
      const hint = nearest(up, names);
      problems.push({
        env,
        message: `promotesFrom names unknown environment "${up}"${hint ? ` (did you mean "${hint}"?)` : ''}; known: ${names.join(', ')}`,
      });
    }
  }
  const reported = new Set<string>();
  for (const start of names) {
    const chain = [start];
    let cur = upstreamOf.get(start);
    while (cur !== undefined && upstreamOf.has(cur) && !chain.includes(cur)) {
      chain.push(cur);
      cur = upstreamOf.get(cur);
    }
    if (cur === undefined || !chain.includes(cur)) continue;
    const cycle = chain.slice(chain.indexOf(cur));
    // Report each cycle once, at its alphabetically first member, written in promotion order.
    const first = [...cycle].sort()[0]!;
    if (reported.has(first)) continue;
    cycle.forEach((c) => {
      reported.add(c);
    });
    const from = cycle.indexOf(first);
    const ordered = [...cycle.slice(from), ...cycle.slice(0, from), first];
    problems.push({ env: first, message: `promotesFrom forms a cycle: ${ordered.join(' → ')}` });
  }
  return problems;
}
