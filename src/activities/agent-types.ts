/**
 * The shapes that cross between the agent workflow, its activities and its clients. Workflow code imports this file
 * with `import type` only. The conversation itself never crosses: activities read and write it in PostgreSQL, and
 * these shapes carry message numbers and short previews.
 */

/** How an agent is set up when it starts; fixed for its life (a continued run carries it over). */
export interface AgentOptions {
  /** The system prompt; null: a short default. */
  system: string | null;
  /** The model; null: the worker's PLAN_LLM_MODEL. */
  model: string | null;
  /** The catalogue tools the model may call (`mcp.<server>.<tool>` included); none unless listed. */
  tools: string[];
  /** Tools whose calls wait for an approval although their risk is not `destructive`. */
  approveTools: string[];
  /** The group `plan agent send --group` reaches it through; null: none. */
  group: string | null;
  /** How many tokens of conversation the model is given; older messages are summarised to fit. */
  contextTokens: number;
  /** Model calls one turn may make before it stops asking for tools (a model that loops on tools ends there). */
  maxToolRounds: number;
}

/** One message waiting in the inbox. */
export interface InboxMessage {
  /** The acknowledgement id the sender was given. */
  ackId: string;
  /** Who sent it: a name, or `agent:<id>` for another agent (which the reply is sent back to). */
  from: string | null;
  text: string;
  /** Its number in the conversation, given when its turn first starts, so a retried turn writes it once. */
  seq: number | null;
  /** For a reply from another agent: the acknowledgement id of the message it answers (absent in older runs). */
  replyTo?: string | null;
}

/** A message the next model activity writes before it reads the conversation. */
export interface MessageWrite {
  seq: number;
  role: 'user' | 'tool';
  content: string;
  sender?: string | null;
  ackId?: string;
  toolCallId?: string;
  toolName?: string;
}

/** What the workflow asks of one model call. */
export interface ModelCallInput {
  agentId: string;
  turn: number;
  /** The model call's index within the turn (0, then one per round of tool calls). */
  call: number;
  options: AgentOptions;
  /** Written (once) before the conversation is read: the turn's user message, and tool answers the workflow made. */
  writes: MessageWrite[];
  /** Where the model's answer is stored. */
  replySeq: number;
}

/** A tool call the model asked for, named as the catalogue names it. */
export interface ToolCallRequest {
  /** The model's id for the call, which its answer must carry. */
  id: string;
  /** The catalogue tool, or null when the model named a tool this agent does not have (`requested` says which). */
  tool: string | null;
  requested: string;
  /** Whether it waits for an approval before it runs: destructive risk, or listed in approveTools. */
  needsApproval: boolean;
  /** The start of the arguments, for the approval request and the `agent` query. */
  argumentsPreview: string;
  /** For `submit_plan`: the plan the model proposed, or why its arguments hold none. */
  plan?: { proposed: Record<string, unknown> } | { problem: string };
  /** The tool's own time limit and heartbeat timeout, for its activity; null: the agent's defaults. */
  timeoutMs: number | null;
  heartbeatTimeoutMs: number | null;
}

export interface ModelCallOutcome {
  /** The start of the answer's text (the whole text is in agent_messages at replySeq). */
  preview: string;
  toolCalls: ToolCallRequest[];
}

/** What the workflow asks of one tool call. */
export interface AgentToolInput {
  agentId: string;
  turn: number;
  /** The assistant message holding the call's arguments. */
  callSeq: number;
  callId: string;
  tool: string;
  /** Where the tool's answer is stored. */
  resultSeq: number;
}

export interface AgentToolOutcome {
  preview: string;
}

/** What the mirror's `agents` row says, written on each change of status. */
export interface AgentRecord {
  agentId: string;
  status: AgentStatus;
  group: string | null;
  parentId: string | null;
  model: string | null;
  turns: number;
  lastReply: string | null;
  error: string | null;
}

export type AgentStatus = 'idle' | 'running' | 'waiting_for_approval' | 'paused' | 'error' | 'terminated';

/** A message for an agent: the `message` signal's and the `send` update's input. */
export interface AgentMessageInput {
  text: string;
  /** Who sends it; `agent:<id>` for another agent. */
  from?: string | null;
  /** The acknowledgement id to use (a sender retrying a send gives the same id); default: a fresh one. */
  id?: string;
  /** Set on an agent's reply to another agent's message: its acknowledgement id. Replies are not answered back. */
  replyTo?: string | null;
}

/** What `send` answers: the message's acknowledgement id and how many messages wait before it. */
export interface SendAnswer {
  ackId: string;
  ahead: number;
}

/** Who asks for a lifecycle change, and why. */
export interface LifecycleInput {
  by?: string;
  reason?: string;
}

/** A tool call waiting for a person's decision. */
export interface PendingToolApproval {
  callId: string;
  tool: string;
  argumentsPreview: string;
  requestedAt: string;
}

/** The `agent` query's answer, the workflow's result, and what `plan agent status` shows. */
export interface AgentState {
  agentId: string;
  status: AgentStatus;
  options: AgentOptions;
  parentId: string | null;
  inboxLength: number;
  /** Turns completed. */
  turns: number;
  lastReply: string | null;
  error: { message: string; type: string | null } | null;
  pendingApproval: PendingToolApproval | null;
  children: string[];
  /** A plan it proposed (submit_plan) and waits for, by plan id; null when none. */
  waitingForPlan: string | null;
  /** Why it was terminated, and by whom. */
  terminated: { by: string | null; reason: string | null } | null;
  /** How many runs came before this one (continue-as-new). */
  continuedRuns: number;
}

/** The agent workflow's input: how it was started, and what an earlier run carried over. */
export interface AgentInput {
  agentId: string;
  options: AgentOptions;
  /** The agent that spawned it (`<parent>/<name>` ids), null for a top-level agent. */
  parentId?: string | null;
  carried?: AgentCarried;
}

/** What a run hands the next when it continues as new: no conversation, only counters and the waiting messages. */
export interface AgentCarried {
  inbox: InboxMessage[];
  turns: number;
  nextSeq: number;
  /** Model calls made in the turn under way (a turn that failed and waits for `resume`). */
  calls: number;
  lastReply: string | null;
  error: AgentState['error'];
  paused: boolean;
  children: string[];
  continuedRuns: number;
}

/** The activities of agents, registered by every plan worker. */
export interface AgentActivities {
  /** Writes the pending messages, assembles the context, streams one model answer, stores it. */
  agentModelCall(input: ModelCallInput): Promise<ModelCallOutcome>;
  /** Runs one tool call through the tool registry and stores its answer. */
  agentToolCall(input: AgentToolInput): Promise<AgentToolOutcome>;
  /** Writes the agent's row in the mirror. */
  mirrorAgent(record: AgentRecord): Promise<void>;
}
