import { z } from 'zod';

export const AppInfoSchema = z.strictObject({
  name: z.string(),
  version: z.string(),
  dataDir: z.string(),
  platform: z.string(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const appContract = {
  'app.info': { input: z.undefined(), output: AppInfoSchema },
} as const;
