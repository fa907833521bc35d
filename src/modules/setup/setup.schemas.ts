import { z } from 'zod';
import { currency, email, locale, password, personName, timezone } from '../../http/schemas.js';

export const setupBody = z.strictObject({
  workspaceName: z.string().trim().min(1).max(200),
  name: personName,
  email,
  password,
  locale: locale.default('vi'),
  currency: currency.default('VND'),
  timezone: timezone.default('Asia/Ho_Chi_Minh'),
});
