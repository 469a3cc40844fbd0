import { join } from 'node:path';
import { tmpdir } from 'node:os';

export const templatePath = join(tmpdir(), 'anxin-test', `pglite-template-${process.env.USER ?? 'u'}.tar.gz`);
