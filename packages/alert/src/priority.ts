/** Falco priorities, least to most severe, with falcosidekick's numeric levels (Debug = 1 … Emergency = 8). */
export const PRIORITIES = [
  'Debug',
  'Informational',
  'Notice',
  'Warning',
  'Error',
  'Critical',
  'Alert',
  'Emergency',
] as const;

export type Priority = (typeof PRIORITIES)[number];

const byLowerName = new Map<string, Priority>(PRIORITIES.map((p) => [p.toLowerCase(), p]));
byLowerName.set('info', 'Informational');

/** Case-insensitive, accepts `info`; `undefined` for anything that is not a priority. */
export function parsePriority(value: string): Priority | undefined {
  return byLowerName.get(value.trim().toLowerCase());
}

export function priorityLevel(priority: Priority): number {
  return PRIORITIES.indexOf(priority) + 1;
}

/** Every priority at or above `minimum`. */
export function prioritiesAtLeast(minimum: Priority): Priority[] {
  return PRIORITIES.slice(PRIORITIES.indexOf(minimum));
}
