import { cli } from '../support/cli';

const NO_MODEL = { OPENAI_BASE_URL: undefined, OPENAI_API_KEY: undefined, PLAN_LLM_MODEL: undefined };

test('plan generate without a model names the variables to set and the model OpenAI itself gets', async () => {
  const none = await cli(['generate', 'check the orders table'], { env: NO_MODEL });
  expect(none.code).toBe(2);
  for (const named of ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'PLAN_LLM_MODEL', '--model', 'gpt-5-mini'])
    expect(none.stderr).toContain(named);
});

test('plan generate with a server but no model asks for the model that server serves', async () => {
  const noModel = await cli(['generate', 'x'], { env: { ...NO_MODEL, OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' } });
  expect(noModel.code).toBe(2);
  expect(noModel.stderr).toContain('no model named for the server at OPENAI_BASE_URL (http://127.0.0.1:9/v1)');
  expect(noModel.stderr).toMatch(/PLAN_LLM_MODEL[\s\S]*--model/);
});
