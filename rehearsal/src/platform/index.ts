/** Platform dependencies (docs/rehearsal.md, "Platform dependencies"). */
export { checkPlatform, platformCheck, serviceReferences } from './check.js';
export { PLATFORM_COMPONENTS, type PlatformComponent, PREREQUISITES } from './components.js';
