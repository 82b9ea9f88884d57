import OpenAI from 'openai';

/** The worker's OpenAI-compatible server, from OPENAI_API_KEY, OPENAI_BASE_URL and PLAN_LLM_MODEL. */
export interface LlmSettings {
  apiKey: string | null;
  baseUrl: string | null;
  model: string | null;
}

/** What `llm_chat` uses: one client for the worker's lifetime, and the model a step gets when it names none. */
export interface LlmAccess {
  client: OpenAI;
  defaultModel: string | null;
}

const OPENAI_BASE_URL = 'https://api.openai.com/v1';

/** Builds the client once; null when neither a key nor a server is configured. */
export function createLlmAccess(settings: LlmSettings): LlmAccess | null {
  if (settings.apiKey === null && settings.baseUrl === null) return null;
  const client = new OpenAI({
    // Local servers (Ollama, vLLM, llama.cpp) want no key, but the client refuses to start without one.
    apiKey: settings.apiKey ?? 'no-key',
    // Explicit, so the client never falls back to reading the environment itself.
    baseURL: settings.baseUrl ?? OPENAI_BASE_URL,
    // Temporal's retry policy is the only one: the step's maxRetries, delays and timeouts mean what they say.
    maxRetries: 0,
  });
  return { client, defaultModel: settings.model };
}
