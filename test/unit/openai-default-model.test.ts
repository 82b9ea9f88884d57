import { DEFAULTS, loadConfig } from '../../src/config';

test('OpenAI itself gets a default model; PLAN_LLM_MODEL wins; another server gets none', () => {
  expect(DEFAULTS.openAiModel).toBe('gpt-5-mini');
  expect(loadConfig({ OPENAI_API_KEY: 'k' }).llm.model).toBe('gpt-5-mini');
  expect(loadConfig({ OPENAI_API_KEY: 'k', PLAN_LLM_MODEL: 'gpt-4.1' }).llm.model).toBe('gpt-4.1');
  expect(loadConfig({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: 'http://localhost:11434/v1' }).llm.model).toBeNull();
  expect(loadConfig({}).llm.model).toBeNull();
});
