export {
  createDiagnostic,
  formatDiagnostic,
  renderExcerpt,
  type LoadDiagnostic,
  type LoadError,
  type LoadErrorCode,
  type LoadWarning,
  type LoadWarningCode,
  type Severity,
  type SourcePosition,
} from './errors.js';
export {
  ITEM_KINDS,
  readRulesFile,
  readRulesFiles,
  type ItemKind,
  type RulesFileRead,
  type RulesItem,
} from './rules/reader.js';
