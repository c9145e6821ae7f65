/**
 * Platform dependencies (docs/rehearsal.md, "Platform dependencies"): what each platform chart
 * provides at its pinned version. The check that holds our references to it lives with the sync
 * plan it reads (sync-plan/platform-check.ts).
 */
export { PLATFORM_COMPONENTS, type PlatformComponent, PREREQUISITES } from './components.js';
