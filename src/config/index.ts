/**
 * Configuration: the environment (connection, tool access) and the project's configuration file (its own tools).
 * Each entry point loads both once and passes them down; nothing below reads the environment.
 */
export * from './environment';
export { defineConfig, type DurablePlansConfig } from './define-config';
export { ConfigFileError, CONFIG_FILE_NAMES, findConfigFile } from './config-file';
export { loadProjectConfig, type ProjectConfig } from './project-config';
export { toolCatalogue } from './tool-catalogue';
export { loadTemporalProfile, TemporalProfileError, type TemporalProfile } from './temporal-profile';
export { temporalConnectionOptions, describeProfile, type TemporalConnectionOptions } from './temporal-connection';
export { webUiBase } from './web-ui-url';
export {
  checkCoordination,
  NO_COORDINATION,
  type BreakerSettings,
  type CoordinationConfig,
  type LimitSettings,
} from './coordination-config';
