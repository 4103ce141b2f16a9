/** The demo source: realistic Falco alerts at a steady rate, for trying the hub and dashboard without a cluster. */
import type { FalcoAlert } from '@harrier/alert';
import { createDemoAlert } from './demo-alerts.js';
import { PacedSource, type PacedSourceOptions } from './paced.js';

export interface DemoSourceOptions extends PacedSourceOptions {
  /** Alerts per second; fractions allowed. Default 1. */
  rate?: number;
}

export class DemoSource extends PacedSource<FalcoAlert> {
  constructor(options: DemoSourceOptions = {}) {
    super(options, 1, createDemoAlert);
  }
}
