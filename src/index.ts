/**
 * durable-plans for agents written in TypeScript: start and steer plans, read their state and the PostgreSQL
 * mirror, and share memory — the same functions the `plan` command line is built on.
 */
export { connectClient } from './api/connect';
export {
  startPlan,
  decide,
  cancelPlan,
  getState,
  PlanValidationError,
  DecisionRefusedError,
  type StartPlanOptions,
} from './api/plans';
export {
  readPlanState,
  PlanNotFoundError,
  PlanHasNoStateError,
  type PlanStateReading,
  type StateSource,
} from './api/read-plan-state';
export { ensureMemorySweepSchedule } from './api/memory-sweep-schedule';
export { retryStep, skipStep, abortPlan } from './api/operator';
export { resumePlan, forkPlan, planInputOf } from './api/resume';
// Agents: long-lived conversations on Temporal (one `agent` workflow per agent id), their stream from PostgreSQL.
export {
  startAgent,
  sendToAgent,
  sendToGroup,
  agentState,
  pauseAgent,
  resumeAgent,
  terminateAgent,
  waitForReply,
  agentOptions,
  AgentStartError,
  AGENT_DEFAULTS,
  type StartAgentOptions,
} from './api/agents';
export { subscribeAgent, type AgentStreamEvent, type SubscribeOptions } from './api/subscribe-agent';
export { listAgents, type AgentRow } from './store/agent-mirror';
export type {
  AgentOptions,
  AgentState,
  AgentStatus,
  AgentMessageInput,
  SendAnswer,
  LifecycleInput,
  PendingToolApproval,
} from './activities/agent-types';
export {
  AGENT_WORKFLOW,
  SUBMIT_PLAN_TOOL,
  messageSignal,
  sendUpdate,
  pauseUpdate,
  resumeUpdate,
  terminateUpdate,
  spawnUpdate,
  agentQuery,
} from './workflows/agent-definitions';
export { SharedMemory, MemoryConflictError, MemoryInputError, type MemoryEntry } from './store/shared-memory';
export {
  getPlanProgress,
  listPlanProgress,
  getTaskPlansByPlan,
  getTaskPlansByBatch,
  type PlanProgress,
  type TaskPlan,
} from './store/mirror-reads';
export { stateFromMirror } from './store/mirror-state';
export { createPool } from './store/pool';
export { applyMigrations } from './store/migrate';
export {
  createPlanWorker,
  connectPlanWorker,
  drainWorker,
  toolSettings,
  planWorkflowsPath,
  planWorkflowInterceptorModules,
  bundlePlanWorkflows,
  type PlanWorkerOptions,
} from './worker';
export {
  defineConfig,
  loadProjectConfig,
  toolCatalogue,
  loadConfig,
  ConfigFileError,
  type DurablePlansConfig,
  type ProjectConfig,
  type Config,
} from './config';
export {
  ToolRegistry,
  builtinRegistry,
  defineTool,
  createToolServices,
  openAiFunctionTools,
  StepMemory,
  BUILTIN_TOOLS,
  // Requests a custom tool makes on a plan's behalf go through the worker's policy, as http_request's do.
  outboundFetch,
  OutboundPolicy,
  type OutboundInit,
  type Tool,
  type ToolContext,
  type ToolDescription,
  type ToolServices,
  type ToolSettings,
  type RiskLevel,
  type StepWriter,
  type OpenAiFunctionTool,
  // The worker and `plan tools` connect a catalogue's MCP servers with it; so can a worker of your own.
  withMcpTools,
  type McpConfig,
  type McpServerConfig,
} from './tools';
export {
  checkPlan,
  formatProblem,
  parseNamespace,
  parseNamespacePrefix,
  formatNamespace,
  type Plan,
  type PlanSnapshot,
  type StepSnapshot,
  type PlanStatus,
  type StepStatus,
  type DecisionInput,
  type DecisionAnswer,
  type CancelInput,
  type Problem,
  type MemoryNamespace,
} from './plan';
export { parsePlanText } from './plan/reading/parse';
// Every error type a plan reports (ApplicationFailure.type, a step's errorType), for scripts and
// nonRetryableErrorTypes.
export * from './plan/error-types';
// Tools throw it for failures with a type (and `nonRetryable` ones); the worker's own copy, so types survive intact.
export { ApplicationFailure } from '@temporalio/common';
export {
  RUN_PLAN_WORKFLOW,
  approveSignal,
  rejectSignal,
  cancelSignal,
  decideUpdate,
  stateQuery,
  planStatusKey,
  planPendingApprovalKey,
} from './workflows/definitions';
