/** `plan codec-server`: decrypts plans for Temporal Web and `temporal workflow show --codec-endpoint`. */
import { browserOrigins, DEFAULT_CODEC_PORT, EncryptionCodec, startCodecServer } from '../codec';
import { webUiBase } from '../config';
import { integerOption, stringOption } from './args';
import type { Command } from './command';
import { EXIT, usageError } from './errors';
import { count } from './plural';

export const codecServer: Command = {
  spec: {
    usage: 'plan codec-server [--port N] [--host HOST] [--origin URL]...',
    summary:
      "Serves Temporal's codec-server protocol (POST /encode, /decode) with the PLAN_CODEC_KEYS, so Temporal Web and\n" +
      '`temporal workflow show --codec-endpoint http://127.0.0.1:8888` show encrypted plans in clear. Listens on\n' +
      `127.0.0.1:${DEFAULT_CODEC_PORT} (PLAN_CODEC_PORT); with PLAN_CODEC_TOKEN every request needs "Authorization: Bearer\n` +
      '<token>", and only then may --host be other than loopback. Browsers may call it from TEMPORAL_UI_URL and --origin.',
    example: 'PLAN_CODEC_KEYS=k1:$(cat key.b64) npm run -s plan -- codec-server --port 8888',
    options: {
      port: {
        type: 'string',
        value: 'N',
        description: `the port to listen on (env PLAN_CODEC_PORT, default ${DEFAULT_CODEC_PORT})`,
      },
      host: {
        type: 'string',
        value: 'HOST',
        description: 'the address to bind (default 127.0.0.1; another only with PLAN_CODEC_TOKEN)',
      },
      origin: {
        type: 'string',
        value: 'URL',
        multiple: true,
        description: 'a web page origin allowed to call it besides TEMPORAL_UI_URL (repeatable)',
      },
    },
    positionals: 0,
  },
  async run(ctx, parsed) {
    const { keys, token, port } = ctx.config.codec;
    if (keys.length === 0) throw usageError('PLAN_CODEC_KEYS is not set: there is nothing to decrypt with');
    const origins = (parsed.values.origin as string[] | undefined) ?? [];
    const server = await startCodecServer({
      codec: new EncryptionCodec(keys),
      corsOrigins: [...browserOrigins(webUiBase(ctx.config)), ...origins.map((origin) => new URL(origin).origin)],
      token,
      port: integerOption(stringOption(parsed, 'port'), 'port') ?? port ?? DEFAULT_CODEC_PORT,
      host: stringOption(parsed, 'host'),
    }).catch((err: Error) => {
      throw usageError(`cannot start the codec server: ${err.message}`);
    });
    ctx.output.out(
      `codec server on ${server.url} (${count(keys.length, 'key')}, ` +
        `${token === null ? 'no token' : 'bearer token required'}); Ctrl-C stops`,
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await server.close();
    return EXIT.ok;
  },
};
