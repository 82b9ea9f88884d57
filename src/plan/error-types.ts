/**
 * Every error type durable-plans reports — as `ApplicationFailure.type`, as a step's `errorType` in the state and the
 * mirror — in one list, so scripts and `nonRetryableErrorTypes` can rely on them. The "Error types" table of
 * docs/plans.md is held to this list by a unit test. Pure constants: workflows, activities and tools all import them
 * from here.
 */

// The plan itself.
/** A plan refused before any step ran; the details list every problem. */
export const PLAN_VALIDATION_ERROR = 'PlanValidationError';
/**
 * A decision (approve, reject, an operator action) the plan refused: wrong approver, nothing waiting, already decided.
 */
export const DECISION_REFUSED = 'DecisionRefused';
/** A `{{steps...}}` reference that points at a result path that does not exist. */
export const REFERENCE_RESOLUTION_ERROR = 'ReferenceResolutionError';
/** A step (or sub-plan) stopped because the plan was cancelled. */
export const CANCELLED = 'Cancelled';
/** A sub-plan that ended other than completed. */
export const SUBPLAN_FAILED = 'SubPlanFailed';
/** The model gave no valid plan within its attempts; the details list what is still wrong. */
export const PLAN_GENERATION_ERROR = 'PlanGenerationError';

// The side store.
/** A mirror write PostgreSQL refuses for its content; retrying the same rows cannot help, the plan goes on. */
export const MIRROR_DATA_ERROR = 'MirrorDataError';
/** A stored result that is gone from PostgreSQL (deleted by hand); retrying cannot bring it back. */
export const STORED_RESULT_MISSING = 'StoredResultMissing';
/** A checkpoint chunk that is not in PostgreSQL (deleted by hand): the continued run cannot take over. */
export const CHECKPOINT_MISSING = 'CheckpointMissing';

// Secrets.
/** A payload the codec cannot decrypt: its key id is not in PLAN_CODEC_KEYS, or it was altered. Not retried. */
export const PAYLOAD_CODEC_ERROR = 'PayloadCodecError';
/** A `{{secrets.NAME}}` the worker has no value for (no PLAN_SECRET_NAME, not in PLAN_SECRETS_FILE); not retried. */
export const UNKNOWN_SECRET = 'UnknownSecret';

// Any tool.
/** A call whose parameters do not fit its tool; never retried, the same call would fail the same way. */
export const INVALID_PARAMETERS = 'InvalidParameters';
/** A result that does not fit the tool's `result` schema: a bug in the tool, which a retry repeats. */
export const INVALID_TOOL_RESULT = 'InvalidToolResult';

// The built-in tools.
/** The `fail` tool's failures, for trying `nonRetryableErrorTypes`, retries and sagas. */
export const FAIL_TOOL_ERROR = 'FailToolError';
/** A compare-and-set that found another version: not retried, a retry would find the same. */
export const MEMORY_CONFLICT = 'MemoryConflict';
/** A key, value or namespace the shared memory refuses: not retried. */
export const MEMORY_INPUT_ERROR = 'MemoryInputError';
/**
 * A step named a shared-memory namespace its plan may not reach (not its own, not declared in
 * `options.memoryNamespaces`), or a sub-plan asked for more than its parent may see; declaring it is the fix.
 */
export const MEMORY_ACCESS_DENIED = 'MemoryAccessDenied';
/** `merge` found nothing to merge (no successful input, no numeric value). */
export const MERGE_NOTHING = 'MergeNothingToMerge';
/** A 4xx answer other than 429: the same request would be refused again, so it is not retried. */
export const HTTP_CLIENT_ERROR = 'HttpClientError';
/** 429 Too Many Requests: retried, after the server's Retry-After when it gives one. */
export const HTTP_RATE_LIMITED = 'HttpRateLimited';
/** A 5xx answer: retried (after Retry-After, if any). */
export const HTTP_SERVER_ERROR = 'HttpServerError';
/** No complete answer: connection refused or reset, DNS failure, or the time limit passed. Retried. */
export const HTTP_NETWORK_ERROR = 'HttpNetworkError';
/**
 * The destination is loopback, link-local (cloud metadata), private or otherwise internal, and the worker's
 * PLAN_HTTP_ALLOW does not name it; checked on every redirect hop and every resolved address. Not retried.
 */
export const HTTP_DESTINATION_DENIED = 'HttpDestinationDenied';
/** More redirects than the tool follows, or a Location that is not an http(s) URL without credentials. Not retried. */
export const HTTP_REDIRECT_ERROR = 'HttpRedirectError';
/**
 * No shape in the worker's PLAN_SHELL_ALLOW allows the command with these arguments, or PLAN_SHELL_ENV_ALLOW does not
 * let the step set one of its variables; not retried.
 */
export const SHELL_NOT_ALLOWED = 'ShellNotAllowed';
/** The command exited non-zero or was killed by a signal; retried as the step's policy says. */
export const SHELL_EXIT_ERROR = 'ShellExitError';
/** The command ran past its time limit and was stopped; retried. */
export const SHELL_TIMEOUT = 'ShellTimeout';
/** The command could not be started (not found, not executable, no such cwd); not retried. */
export const SHELL_SPAWN_ERROR = 'ShellSpawnError';
/** A write in a read-only step (SQLSTATE 25006): the step needs `allowWrite: true`. Not retried. */
export const SQL_READ_ONLY_VIOLATION = 'SqlReadOnlyViolation';
/** PostgreSQL refused the statement; not retried when the statement itself is wrong (classes 42, 22, 23, 0A). */
export const SQL_ERROR = 'SqlError';
/** The database could not be reached or dropped the connection; retried. */
export const SQL_CONNECTION_ERROR = 'SqlConnectionError';
/** The step names a connection the worker does not have; not retried. */
export const SQL_UNKNOWN_CONNECTION = 'SqlUnknownConnection';
/**
 * A statement sql_query does not run (session, role or transaction control, a way to run SQL given as text), one its
 * role has no privilege for (SQLSTATE 42501), or a connection whose login cannot be made safe; not retried.
 */
export const SQL_NOT_ALLOWED = 'SqlNotAllowed';
/** The statement ran past the step's deadline and the server stopped it (statement_timeout); retried. */
export const SQL_TIMEOUT = 'SqlTimeout';
/** The statement's answer passed the step's `maxBytes`; the connection was dropped mid-answer. Not retried. */
export const SQL_RESULT_TOO_LARGE = 'SqlResultTooLarge';
/** The worker has no model server or no model configured; not retried. */
export const LLM_NOT_CONFIGURED = 'LlmNotConfigured';
/** Rate limit (429), server error (5xx), network error or timeout: retried, after Retry-After when given. */
export const LLM_UNAVAILABLE = 'LlmUnavailable';
/** The server refused the request (4xx: bad model, bad key, invalid messages); not retried. */
export const LLM_REQUEST_ERROR = 'LlmRequestError';
/** The model server's answer is larger than PLAN_LLM_MAX_RESPONSE_BYTES; not retried (ask for fewer maxTokens). */
export const LLM_RESPONSE_TOO_LARGE = 'LlmResponseTooLarge';

// Tools from MCP servers.
/** The MCP tool answered `isError` (it refused or failed on this input) or the server refused the call; not retried. */
export const MCP_TOOL_ERROR = 'McpToolError';
/** The MCP server gave no answer: the connection closed, the call timed out, the transport failed. Retried. */
export const MCP_UNAVAILABLE = 'McpUnavailable';

// Agents.
/** A tool call the agent's workflow names is not in the stored answer of the model (the row was deleted by hand). */
export const AGENT_TOOL_CALL_MISSING = 'AgentToolCallMissing';

// Coordination between plans.
/** The tool's circuit breaker is open (or its probe is out): retried after the cool-down; not with onFailure pause. */
export const CIRCUIT_OPEN = 'CircuitOpen';
/** A call waited for its turn under a rate or concurrency limit until its attempt's deadline; retried. */
export const LIMIT_WAIT_TIMEOUT = 'LimitWaitTimeout';

/** Every error type above. (Temporal adds its own timeout types, `StartToCloseTimeout` and `HeartbeatTimeout`.) */
export const ERROR_TYPES: readonly string[] = [
  PLAN_VALIDATION_ERROR,
  DECISION_REFUSED,
  REFERENCE_RESOLUTION_ERROR,
  CANCELLED,
  SUBPLAN_FAILED,
  PLAN_GENERATION_ERROR,
  MIRROR_DATA_ERROR,
  STORED_RESULT_MISSING,
  CHECKPOINT_MISSING,
  PAYLOAD_CODEC_ERROR,
  UNKNOWN_SECRET,
  INVALID_PARAMETERS,
  INVALID_TOOL_RESULT,
  FAIL_TOOL_ERROR,
  MEMORY_CONFLICT,
  MEMORY_INPUT_ERROR,
  MEMORY_ACCESS_DENIED,
  MERGE_NOTHING,
  HTTP_CLIENT_ERROR,
  HTTP_RATE_LIMITED,
  HTTP_SERVER_ERROR,
  HTTP_NETWORK_ERROR,
  HTTP_DESTINATION_DENIED,
  HTTP_REDIRECT_ERROR,
  SHELL_NOT_ALLOWED,
  SHELL_EXIT_ERROR,
  SHELL_TIMEOUT,
  SHELL_SPAWN_ERROR,
  SQL_READ_ONLY_VIOLATION,
  SQL_ERROR,
  SQL_CONNECTION_ERROR,
  SQL_UNKNOWN_CONNECTION,
  SQL_NOT_ALLOWED,
  SQL_TIMEOUT,
  SQL_RESULT_TOO_LARGE,
  LLM_NOT_CONFIGURED,
  LLM_UNAVAILABLE,
  LLM_REQUEST_ERROR,
  LLM_RESPONSE_TOO_LARGE,
  MCP_TOOL_ERROR,
  MCP_UNAVAILABLE,
  AGENT_TOOL_CALL_MISSING,
  CIRCUIT_OPEN,
  LIMIT_WAIT_TIMEOUT,
];
