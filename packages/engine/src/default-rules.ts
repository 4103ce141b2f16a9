/** Where Harrier's default rules file lives (`packages/engine/rules/harrier_rules.yaml`), from source or build. */
import { fileURLToPath } from 'node:url';

export const DEFAULT_RULES_FILE = fileURLToPath(new URL('../rules/harrier_rules.yaml', import.meta.url));
