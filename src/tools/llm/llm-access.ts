import OpenAI from 'openai';
import { secretForms } from '../secrets';
import { cappedFetch } from './capped-fetch';

/** The worker's OpenAI-compatible server, from OPENAI_API_KEY, OPENAI_BASE_URL and PLAN_LLM_MODEL. */
export interface LlmSettings {
  apiKey: string | null;
  baseUrl: string | null;
  model: string | null;
  /** The largest answer the server may send, in bytes (PLAN_LLM_MAX_RESPONSE_BYTES); null or unset: 1 MiB. */
  maxResponseBytes?: number | null;
}

/** What `llm_chat` uses: one client for the worker's lifetime, and the model a step gets when it names none. */
export interface LlmAccess {
  client: OpenAI;
  defaultModel: string | null;
  /** The API key, for scrubbing from whatever the server says back; empty without a key. */
  secrets: string[];
  maxResponseBytes: number;
}

const OPENAI_BASE_URL = 'https://api.openai.com/v1';
/** A completion of the largest context windows is a few hundred KiB of JSON; more is a broken or hostile server. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * Builds the client once; null when neither a key nor a server is configured. The server is the operator's choice,
 * so it is not held to the outbound policy that plans' own requests pass.
 */
export function createLlmAccess(settings: LlmSettings): LlmAccess | null {
  if (settings.apiKey === null && settings.baseUrl === null) return null;
  const maxResponseBytes = settings.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const client = new OpenAI({
    // Local servers (Ollama, vLLM, llama.cpp) want no key, but the client refuses to start without one.
    apiKey: settings.apiKey ?? 'no-key',
    // Explicit, so the client never falls back to reading the environment itself.
    baseURL: settings.baseUrl ?? OPENAI_BASE_URL,
    // Not OPENAI_LOG's: at debug the client logs response bodies, and a server may echo the key in them.
    logLevel: 'warn',
    // Temporal's retry policy is the only one: the step's maxRetries, delays and timeouts mean what they say.
    maxRetries: 0,
    fetch: cappedFetch(maxResponseBytes),
  });
  const secrets = settings.apiKey === null ? [] : secretForms([settings.apiKey]);
  return { client, defaultModel: settings.model, secrets, maxResponseBytes };
}
