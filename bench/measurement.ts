/** One number a benchmark reports, with the target it must reach when there is one. */
export interface Measurement {
  name: string;
  value: number;
  unit: string;
  limit?: number;
  better?: 'lower' | 'higher';
}
