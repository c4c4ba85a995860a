import { INestApplication, Type } from '@nestjs/common';
import { bootstrapService } from './lib/bootstrap-service';

/** Starts a service's root module on a free port, as `runService` would. */
export const startServiceForTest = async (
  rootModule: Type<unknown>,
): Promise<{ app: INestApplication; url: string }> => {
  const previousPort = process.env['PORT'];
  process.env['PORT'] = '0';
  try {
    const app = await bootstrapService({
      name: rootModule.name,
      rootModule,
      defaultHttpPort: 0,
    });
    return { app, url: await app.getUrl() };
  } finally {
    if (previousPort === undefined) delete process.env['PORT'];
    else process.env['PORT'] = previousPort;
  }
};
