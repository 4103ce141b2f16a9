/** `harrier-rules psp convert PSP.yaml [--name-prefix P]`: a PodSecurityPolicy as rules, on stdout. */
import { readFile } from 'node:fs/promises';
import { convertPsp, PspConversionError } from '../psp/convert.js';
import { parseOptions, PSP_USAGE, usageError, type CliIo } from './main.js';

export async function pspConvertCommand(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseOptions(args, { 'name-prefix': { type: 'string', short: 'p' } }, io, PSP_USAGE);
  if (!parsed) return 2;
  const [file, ...extra] = parsed.positionals;
  if (file === undefined) return usageError(io, 'psp convert needs a PodSecurityPolicy file', PSP_USAGE);
  if (extra.length > 0) return usageError(io, `unexpected argument '${extra[0]}'`, PSP_USAGE);
  let text: string;
  try {
    text = await (io.readFile ?? ((p: string) => readFile(p, 'utf8')))(file);
  } catch (error) {
    io.err(`harrier-rules: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  try {
    const prefix = parsed.values['name-prefix'];
    io.out(convertPsp(text, prefix === undefined ? {} : { namePrefix: prefix }).rules);
    return 0;
  } catch (error) {
    if (!(error instanceof PspConversionError)) throw error;
    io.err(`harrier-rules: ${file}: ${error.message}\n`);
    return 1;
  }
}
