/** async-exit-hook ships no types; embedded.ts only calls `unhookEvent` on it. */
declare module 'async-exit-hook' {
  const exitHook: unknown;
  export default exitHook;
}
