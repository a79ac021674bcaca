/**
 * Per-replication metric samples. A metric may get several samples in one run (one per
 * outage, say); the report aggregates every sample across replications.
 */
export interface MetricSample {
  name: string;
  unit: string;
  value: number;
}

export class Metrics {
  readonly samples: MetricSample[] = [];

  record(name: string, unit: string, value: number): void {
    if (!Number.isFinite(value)) throw new RangeError(`metric ${name}: ${value} is not finite`);
    this.samples.push({ name, unit, value });
  }
}
